package trading.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class OrderIdsTest {

    @Test
    void theSameDecisionAlwaysGetsTheSameId() {
        assertEquals(OrderIds.derive("abc", "AAPL", "sim-1", 7), OrderIds.derive("abc", "AAPL", "sim-1", 7));
    }

    @Test
    void everyPartOfTheIdentityCounts() {
        String id = OrderIds.derive("abc", "AAPL", "sim-1", 7);
        assertNotEquals(id, OrderIds.derive("xyz", "AAPL", "sim-1", 7));
        assertNotEquals(id, OrderIds.derive("abc", "MSFT", "sim-1", 7));
        assertNotEquals(id, OrderIds.derive("abc", "AAPL", "sim-2", 7));
        assertNotEquals(id, OrderIds.derive("abc", "AAPL", "sim-1", 8));
        // no ambiguity from concatenation
        assertNotEquals(OrderIds.derive("ab", "cAAPL", "s", 1), OrderIds.derive("abc", "AAPL", "s", 1));
    }
}
