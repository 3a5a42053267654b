package trading.execution.fix;

import org.junit.jupiter.api.Test;
import quickfix.FieldNotFound;
import quickfix.IncorrectTagValue;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LeavesQty;
import quickfix.field.OrdStatus;
import quickfix.field.OrderID;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.fix44.ExecutionReport;
import trading.schema.BrokerEventType;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a hostile or broken exchange may send, as the gateway reads it. */
class FixReportsTest {

    /** A fill report of order abc-AAPL-1 with these amounts, as written. */
    static ExecutionReport fill(String cumQty, String avgPx) {
        ExecutionReport report = new ExecutionReport(new OrderID("X1"), new ExecID("E1"), new ExecType(ExecType.TRADE),
                new OrdStatus(OrdStatus.FILLED), new Side(Side.BUY), new LeavesQty(0), new CumQty(0), new AvgPx(0));
        report.set(new ClOrdID("abc-AAPL-1"));
        report.set(new Symbol("AAPL"));
        report.setString(CumQty.FIELD, cumQty);
        report.setString(AvgPx.FIELD, avgPx);
        return report;
    }

    @Test
    void aReadableFillBecomesItsEvent() throws Exception {
        var event = FixReports.toEvent(fill("100", "10.123456789"), Instant.EPOCH).orElseThrow();
        assertEquals(BrokerEventType.FILL, event.getType());
        assertEquals("10.12345679", event.getAveragePrice().toPlainString(), "an average is rounded to the wire");
    }

    @Test
    void anAmountTheWireCannotCarryNamesItsTagForTheSessionReject() {
        for (String[] bad : new String[][]{{"100.123456789", "10"}, {"-5", "10"}, {"1e20", "10"}, {"1e999999999", "10"},
                {"abc", "10"}}) {
            IncorrectTagValue refused = assertThrows(IncorrectTagValue.class, () -> FixReports.toEvent(fill(bad[0], bad[1]), Instant.EPOCH),
                    bad[0]);
            assertEquals(CumQty.FIELD, refused.getField(), bad[0]);
        }
        for (String avgPx : new String[]{"99999999999999999", "1e999999999", "-1", "NaN"}) {
            IncorrectTagValue refused = assertThrows(IncorrectTagValue.class, () -> FixReports.toEvent(fill("100", avgPx), Instant.EPOCH),
                    avgPx);
            assertEquals(AvgPx.FIELD, refused.getField(), avgPx);
        }
    }

    @Test
    void aMissingFieldIsFieldNotFoundForTheSessionReject() {
        ExecutionReport noStatus = fill("100", "10");
        noStatus.removeField(OrdStatus.FIELD);
        assertThrows(FieldNotFound.class, () -> FixReports.toEvent(noStatus, Instant.EPOCH));
        ExecutionReport noSymbol = fill("100", "10");
        noSymbol.removeField(Symbol.FIELD);
        assertThrows(FieldNotFound.class, () -> FixReports.toEvent(noSymbol, Instant.EPOCH));
    }
}
