package trading.schema;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every decimal a file, a FIX report or a strategy may hand over either reaches the wire exactly,
 * or is refused with an {@link IllegalArgumentException} (never an out-of-memory, an arithmetic
 * error, or an Avro failure at send time).
 */
class DecimalsPropertiesTest {

    private static final Schema WIRE = LogicalTypes.decimal(Decimals.WIRE_PRECISION, Decimals.WIRE_SCALE)
            .addToSchema(Schema.create(Schema.Type.BYTES));
    private static final Conversions.DecimalConversion AVRO = new Conversions.DecimalConversion();

    @Property(tries = 2000)
    void anAmountEitherEncodesExactlyOrIsRefused(@ForAll("amounts") BigDecimal amount) {
        BigDecimal wire;
        try {
            wire = Decimals.toWire(amount);
        } catch (IllegalArgumentException refused) {
            assertTrue(!Decimals.fitsWire(amount) || amount.stripTrailingZeros().scale() > Decimals.WIRE_SCALE,
                    "refused an amount the wire keeps: " + amount + " (" + refused.getMessage() + ")");
            return;
        }
        assertEquals(0, wire.compareTo(amount), "changed the value");
        BigDecimal back = AVRO.fromBytes(AVRO.toBytes(wire, WIRE, WIRE.getLogicalType()), WIRE, WIRE.getLogicalType());
        assertEquals(wire, back, "Avro round trip");
    }

    @Property(tries = 500)
    void roundingNeverExpandsAHugeExponent(@ForAll("hugeExponents") BigDecimal amount) {
        assertThrows(IllegalArgumentException.class, () -> Decimals.roundToWire(amount));
        assertThrows(IllegalArgumentException.class, () -> Decimals.toWire(amount));
    }

    @Provide
    Arbitrary<BigDecimal> amounts() {
        Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30));
        Arbitrary<Integer> scale = Arbitraries.integers().between(-30, 30);
        return Combinators.combine(unscaled, scale).as(BigDecimal::new);
    }

    @Property(tries = 500)
    void aTinyAmountRoundsToZeroAtOnceAndIsNotExact(@ForAll("tinyAmounts") BigDecimal amount) {
        assertEquals(0, Decimals.roundToWire(amount).signum(), amount.toString());
        assertThrows(IllegalArgumentException.class, () -> Decimals.toWire(amount));
    }

    @Property(tries = 2000)
    void roundingIsSetScaleHalfEvenWhereThatIsCheap(@ForAll("amounts") BigDecimal amount) {
        if (!Decimals.fitsWire(amount)) {
            return;
        }
        assertEquals(amount.setScale(Decimals.WIRE_SCALE, java.math.RoundingMode.HALF_EVEN), Decimals.roundToWire(amount));
    }

    @Provide
    Arbitrary<BigDecimal> tinyAmounts() {
        return Combinators.combine(Arbitraries.integers().between(1, 999), Arbitraries.integers().between(12, 999_999_999))
                .as((digits, scale) -> new BigDecimal(BigInteger.valueOf(digits), scale));
    }

    @Provide
    Arbitrary<BigDecimal> hugeExponents() {
        return Combinators.combine(Arbitraries.integers().between(1, 999), Arbitraries.integers().between(-999_999_999, -17))
                .as((digits, scale) -> new BigDecimal(BigInteger.valueOf(digits), scale));
    }
}
