package trading.schema;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecimalsTest {

    @Test
    void wireScaleKeepsTheValueExactly() {
        BigDecimal wire = Decimals.toWire(new BigDecimal("101.25"));
        assertEquals(Decimals.WIRE_SCALE, wire.scale());
        assertEquals(0, wire.compareTo(new BigDecimal("101.25")));
    }

    @Test
    void moreDigitsThanTheWireKeepsIsAnErrorNotARounding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Decimals.toWire(new BigDecimal("1.123456789")));
        assertEquals("1.123456789 has more than 8 decimal places", e.getMessage());
    }

    @Test
    void displayDropsTrailingZerosButNotIntegerDigits() {
        assertEquals("101.25", Decimals.forDisplay(new BigDecimal("101.25000000")).toPlainString());
        assertEquals("100", Decimals.forDisplay(new BigDecimal("100.00000000")).toPlainString());
        assertEquals(0, Decimals.forDisplay(new BigDecimal("100.00000000")).scale());
    }
}
