package trading.fix;

import quickfix.FieldMap;
import quickfix.FieldNotFound;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Quantities and prices on FIX messages as exact decimals. QuickFIX/J's generated FIX 4.4 fields
 * (OrderQty, Price, CumQty, AvgPx...) hold a {@code double}; the wire itself is text, so these
 * read and write the text and 0.1 stays 0.1 from the order to the fill.
 */
public final class FixValues {

    /**
     * A user-defined tag on NewOrderSingle: the W3C traceparent of the gateway's span, so the
     * exchange's span joins the order's trace. Both session ends accept user-defined tags
     * ({@link FixSessions}); a counterparty that does not know it ignores it.
     */
    public static final int TRACEPARENT_TAG = 9701;

    private FixValues() {
    }

    public static void setDecimal(FieldMap message, int tag, BigDecimal value) {
        message.setString(tag, value.stripTrailingZeros().toPlainString());
    }

    public static BigDecimal decimal(FieldMap message, int tag) throws FieldNotFound {
        String text = message.getString(tag);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new FieldNotFound("tag " + tag + " is not a number: '" + text + "'");
        }
    }

    public static Optional<BigDecimal> optionalDecimal(FieldMap message, int tag) {
        if (!message.isSetField(tag)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decimal(message, tag));
        } catch (FieldNotFound e) {
            return Optional.empty();
        }
    }

    public static Optional<String> optionalString(FieldMap message, int tag) {
        try {
            return message.isSetField(tag) ? Optional.of(message.getString(tag)) : Optional.empty();
        } catch (FieldNotFound e) {
            return Optional.empty();
        }
    }
}
