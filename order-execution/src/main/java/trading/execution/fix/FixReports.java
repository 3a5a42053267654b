package trading.execution.fix;

import quickfix.FieldNotFound;
import quickfix.IncorrectTagValue;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.AvgPx;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrderID;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.fix44.ExecutionReport;
import trading.fix.FixValues;
import trading.schema.BrokerEvent;
import trading.schema.BrokerEventType;
import trading.schema.Decimals;
import trading.schema.Texts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The exchange's FIX ExecutionReports as the pipeline's {@link BrokerEvent}s. The event is decided
 * by the order's state in the report (OrdStatus, CumQty), not by what triggered it (ExecType), so
 * a fill, a resent fill and a status answer showing the same fill all become the same event.
 */
public final class FixReports {

    private FixReports() {
    }

    /** A status answer saying the exchange never received this ClOrdID. */
    public static boolean unknownOrder(ExecutionReport report) throws FieldNotFound {
        return report.getChar(ExecType.FIELD) == ExecType.ORDER_STATUS
                && report.isSetField(OrdRejReason.FIELD) && report.getInt(OrdRejReason.FIELD) == OrdRejReason.UNKNOWN_ORDER;
    }

    /**
     * The event to publish, empty for an unknown-order answer.
     *
     * @throws FieldNotFound     a field the event needs is missing (ClOrdID, Symbol, OrdStatus)
     * @throws IncorrectTagValue a quantity or price the wire cannot carry exactly (negative, more
     *                           than 8 decimals or 16 integer digits): QuickFIX/J answers both with a
     *                           session Reject naming the tag, and the session goes on
     */
    public static Optional<BrokerEvent> toEvent(ExecutionReport report, Instant now) throws FieldNotFound, IncorrectTagValue {
        if (unknownOrder(report)) {
            return Optional.empty();
        }
        char status = report.getChar(OrdStatus.FIELD);
        BigDecimal cumulative = wireAmount(report, CumQty.FIELD).orElse(BigDecimal.ZERO);
        BrokerEventType type = status == OrdStatus.REJECTED ? BrokerEventType.REJECTED
                : cumulative.signum() > 0 ? BrokerEventType.FILL
                : BrokerEventType.ACCEPTED;
        BigDecimal average = wireAmount(report, AvgPx.FIELD).orElse(null);
        return Optional.of(BrokerEvent.newBuilder()
                .setOrderId(report.getString(ClOrdID.FIELD))
                .setTicker(report.getString(Symbol.FIELD))
                .setType(type)
                .setCumulativeQuantity(Decimals.toWire(cumulative))
                .setAveragePrice(type == BrokerEventType.FILL && average != null ? Decimals.roundToWire(average) : null)
                .setBroker("fix")
                .setBrokerOrderId(FixValues.optionalString(report, OrderID.FIELD).orElse(null))
                .setBrokerExecId(FixValues.optionalString(report, ExecID.FIELD).orElse(null))
                .setReason(type == BrokerEventType.REJECTED ? FixValues.optionalString(report, Text.FIELD).orElse(null) : null)
                .setEventTime(now)
                .build());
    }

    /** A decimal field the wire can carry: not negative, within its digits; empty when absent. */
    private static Optional<BigDecimal> wireAmount(ExecutionReport report, int tag) throws IncorrectTagValue {
        if (!report.isSetField(tag)) {
            return Optional.empty();
        }
        BigDecimal amount;
        try {
            amount = FixValues.decimal(report, tag);
        } catch (FieldNotFound | RuntimeException e) {
            throw new IncorrectTagValue(tag, shortened(report, tag));
        }
        boolean exact = amount.signum() >= 0 && Decimals.fitsWire(amount)
                && (tag == AvgPx.FIELD || amount.stripTrailingZeros().scale() <= Decimals.WIRE_SCALE);
        if (!exact) {
            // an average may carry more decimals (it is rounded); a quantity must be exact
            throw new IncorrectTagValue(tag, shortened(report, tag));
        }
        return Optional.of(amount);
    }

    private static String shortened(ExecutionReport report, int tag) {
        try {
            return Texts.clip(report.getString(tag), 40);
        } catch (FieldNotFound e) {
            return "";
        }
    }

    /** The SENT event, published before the order leaves. */
    public static BrokerEvent sent(String orderId, String ticker, Instant now) {
        return event(orderId, ticker, BrokerEventType.SENT, null, now);
    }

    /** A rejection decided on this side: the session refused the order, or the exchange never took it. */
    public static BrokerEvent rejected(String orderId, String ticker, String reason, Instant now) {
        return event(orderId, ticker, BrokerEventType.REJECTED, reason, now);
    }

    private static BrokerEvent event(String orderId, String ticker, BrokerEventType type, String reason, Instant now) {
        return BrokerEvent.newBuilder().setOrderId(orderId).setTicker(ticker).setType(type)
                .setCumulativeQuantity(Decimals.toWire(BigDecimal.ZERO)).setBroker("fix").setReason(reason)
                .setEventTime(now).build();
    }
}
