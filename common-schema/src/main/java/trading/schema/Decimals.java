package trading.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices and quantities travel as Avro decimals with a fixed scale; Avro refuses a value of another
 * scale, so everything that builds a record passes its amounts through here.
 */
public final class Decimals {

    /** Fractional digits of every price and quantity on the wire (see the .avsc files). */
    public static final int WIRE_SCALE = 8;

    /** Digits in all of every price and quantity on the wire (see the .avsc files). */
    public static final int WIRE_PRECISION = 24;

    /** Digits before the point that the wire keeps: {@link #WIRE_PRECISION} less {@link #WIRE_SCALE}. */
    public static final int WIRE_INTEGER_DIGITS = WIRE_PRECISION - WIRE_SCALE;

    private Decimals() {
    }

    /**
     * The amount at the wire scale, exactly.
     *
     * @throws IllegalArgumentException if it has more digits before or after the point than the wire keeps
     */
    public static BigDecimal toWire(BigDecimal amount) {
        requireWireSize(amount);
        if (amount.scale() > WIRE_SCALE && amount.stripTrailingZeros().scale() > WIRE_SCALE) {
            // said before setScale, which would divide by 10^scale: 1e-999999999 never returns
            throw new IllegalArgumentException(shortText(amount) + " has more than " + WIRE_SCALE + " decimal places");
        }
        try {
            return amount.setScale(WIRE_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    amount.toPlainString() + " has more than " + WIRE_SCALE + " decimal places", e);
        }
    }

    /**
     * A derived amount, such as an average fill price, at the wire scale, rounded half-even:
     * an average of exact prices can have more digits than the wire keeps.
     */
    public static BigDecimal roundToWire(BigDecimal amount) {
        requireWireSize(amount);
        if ((long) amount.precision() - amount.scale() < -WIRE_SCALE) {
            // below 10^-9, it rounds to zero: said at once, as setScale would divide by 10^scale
            return BigDecimal.ZERO.setScale(WIRE_SCALE);
        }
        return amount.setScale(WIRE_SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * Whether the amount has at most {@link #WIRE_INTEGER_DIGITS} digits before the point. Checked
     * before any {@code setScale}: {@code 1e999999999} would otherwise be expanded to a billion
     * digits, and run the process out of memory.
     */
    public static boolean fitsWire(BigDecimal amount) {
        return amount.signum() == 0 || (long) amount.precision() - amount.scale() <= WIRE_INTEGER_DIGITS;
    }

    private static void requireWireSize(BigDecimal amount) {
        if (!fitsWire(amount)) {
            throw new IllegalArgumentException(shortText(amount) + " is too large: the wire keeps "
                    + WIRE_INTEGER_DIGITS + " digits before the point");
        }
    }

    /** The amount as written in scientific notation when long, so an error message stays one short line. */
    private static String shortText(BigDecimal amount) {
        String text = amount.toString();
        return text.length() <= 40 ? text : text.substring(0, 20) + "…" + " (" + amount.precision() + " digits, scale " + amount.scale() + ")";
    }

    /** The amount without trailing zeros, for people (HTTP answers, reports). */
    public static BigDecimal forDisplay(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
