package trading.execution;

import org.junit.jupiter.api.Test;
import trading.schema.Decimals;
import trading.schema.Order;
import trading.schema.OrderType;
import trading.schema.Side;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RiskGateTest {

    private static final RiskLimits LIMITS = new RiskLimits(new BigDecimal("500"), new BigDecimal("10000"),
            new BigDecimal("1000"));

    private static Order order(Side side, String quantity, String price) {
        return Order.newBuilder().setOrderId("o").setStrategy("abc").setTicker("AAPL").setSide(side)
                .setQuantity(Decimals.toWire(new BigDecimal(quantity))).setOrderType(OrderType.MARKET)
                .setReferencePrice(Decimals.toWire(new BigDecimal(price))).setPriceSource("t").setPriceSequence(1)
                .setPriceEventTime(Instant.EPOCH).setDecisionTime(Instant.EPOCH).build();
    }

    private static PositionBook flat() {
        return PositionBook.empty("abc", "AAPL");
    }

    @Test
    void anOrderAtTheQuantityLimitPassesAndOnePastItIsRejected() {
        assertNull(RiskGate.problem(order(Side.BUY, "500", "1"), flat(), LIMITS));
        assertEquals("order quantity 500.00000001 is above the limit of 500",
                RiskGate.problem(order(Side.BUY, "500.00000001", "1"), flat(), LIMITS));
    }

    @Test
    void anOrderAtTheNotionalLimitPassesAndOnePastItIsRejected() {
        assertNull(RiskGate.problem(order(Side.SELL, "100", "100"), flat(), LIMITS));
        assertEquals("order notional 10000.01 is above the limit of 10000",
                RiskGate.problem(order(Side.SELL, "100", "100.0001"), flat(), LIMITS));
    }

    @Test
    void thePositionLimitCountsWhatIsHeldAndWhatIsStillWorking() {
        PositionBook book = flat().fill(true, new BigDecimal("600"), BigDecimal.ONE).working(true, new BigDecimal("300"));
        assertNull(RiskGate.problem(order(Side.BUY, "100", "1"), book, LIMITS)); // 600 + 300 + 100 = 1000
        assertEquals("position of abc in AAPL would reach 1001 (held 600, working buys 300, sells 0), past the limit of 1000",
                RiskGate.problem(order(Side.BUY, "101", "1"), book, LIMITS));
    }

    @Test
    void sellsAreLimitedOnTheShortSideAndMayReduceALongFreely() {
        PositionBook longBook = flat().fill(true, new BigDecimal("1000"), BigDecimal.ONE);
        assertNull(RiskGate.problem(order(Side.SELL, "500", "1"), longBook, LIMITS));
        PositionBook shortBook = flat().fill(false, new BigDecimal("600"), BigDecimal.ONE).working(false, new BigDecimal("400"));
        assertNull(RiskGate.problem(order(Side.BUY, "500", "1"), shortBook, LIMITS));
        assertEquals("position of abc in AAPL would reach -1001 (held -600, working buys 0, sells 400), past the limit of 1000",
                RiskGate.problem(order(Side.SELL, "1", "1"), shortBook, LIMITS));
    }

    @Test
    void limitsMustBePositive() {
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RiskLimits(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE));
        assertEquals("risk.max-order-quantity must be a positive number, was 0", error.getMessage());
    }
}
