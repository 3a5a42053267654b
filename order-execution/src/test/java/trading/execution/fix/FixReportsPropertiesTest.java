package trading.execution.fix;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import quickfix.IncorrectTagValue;
import quickfix.field.AvgPx;
import quickfix.field.CumQty;
import quickfix.fix44.ExecutionReport;
import trading.schema.BrokerEvent;
import trading.schema.Decimals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever amounts an exchange writes in a report, the gateway either makes an event whose amounts
 * the wire carries exactly, or refuses the report naming CumQty or AvgPx (a session Reject): never
 * another exception, which would stop the session's sequence.
 */
class FixReportsPropertiesTest {

    @Property(tries = 1000)
    void aReportIsAnExactEventOrARejectNamingItsTag(@ForAll("amounts") String cumQty, @ForAll("amounts") String avgPx) {
        ExecutionReport report = FixReportsTest.fill(cumQty, avgPx);
        Optional<BrokerEvent> event;
        try {
            event = FixReports.toEvent(report, Instant.EPOCH);
        } catch (IncorrectTagValue refused) {
            assertTrue(refused.getField() == CumQty.FIELD || refused.getField() == AvgPx.FIELD, refused.toString());
            return;
        } catch (Exception other) {
            throw new AssertionError("neither an event nor a reject naming the tag: " + other, other);
        }
        BrokerEvent made = event.orElseThrow();
        assertEquals(Decimals.WIRE_SCALE, made.getCumulativeQuantity().scale());
        assertEquals(0, made.getCumulativeQuantity().compareTo(new BigDecimal(cumQty)), "the quantity is exact");
        if (made.getAveragePrice() != null) {
            assertTrue(Decimals.fitsWire(made.getAveragePrice()));
        }
    }

    @Provide
    Arbitrary<String> amounts() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000000")).ofScale(4).map(BigDecimal::toPlainString),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.TEN).ofScale(12).map(BigDecimal::toPlainString),
                Arbitraries.integers().between(-1_000_000_000, 1_000_000_000).map(exponent -> "1e" + exponent),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30),
                Arbitraries.of("-1", "0", "NaN", "Infinity", "", "1,5", "0x10", " 3", "1e"));
    }
}
