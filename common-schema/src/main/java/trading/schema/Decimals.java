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

    private Decimals() {
    }

    /**
     * The amount at the wire scale, exactly.
     *
     * @throws IllegalArgumentException if it has more fractional digits than the wire keeps
     */
    public static BigDecimal toWire(BigDecimal amount) {
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
        return amount.setScale(WIRE_SCALE, RoundingMode.HALF_EVEN);
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
