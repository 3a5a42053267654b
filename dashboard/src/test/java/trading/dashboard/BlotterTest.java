package trading.dashboard;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BlotterTest {

    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final BigDecimal PRICE = new BigDecimal("187.25");

    @Test
    void anOrderMovesFromDecidedToFilledAndTheBlotterPushesItsNewestState() {
        Blotter blotter = new Blotter();
        blotter.onOrder("o1", "abc", "AAPL", "BUY", HUNDRED, PRICE, 1_000, 5);
        blotter.onReport("o1", "abc", "AAPL", "BUY", HUNDRED, PRICE, 1_000, "NEW", BigDecimal.ZERO, null, null, 2_000);
        blotter.onReport("o1", "abc", "AAPL", "BUY", HUNDRED, PRICE, 1_000, "FILLED", HUNDRED, PRICE, null, 3_000);
        List<Blotter.OrderRow> changed = blotter.changedRows();
        assertEquals(1, changed.size(), "three updates of one order, one row pushed");
        assertEquals("FILLED", changed.get(0).status());
        assertEquals(5, changed.get(0).priceEventTimeMillis());
    }

    @Test
    void aReportBeforeItsOrderKeepsItsStatusAndALateEarlierStatusDoesNotMoveItBack() {
        Blotter blotter = new Blotter();
        blotter.onReport("o2", "xyz", "MSFT", "SELL", HUNDRED, PRICE, 1_000, "REJECTED", BigDecimal.ZERO, null,
                "trading halted: test", 2_000);
        blotter.onOrder("o2", "xyz", "MSFT", "SELL", HUNDRED, PRICE, 1_000, 7);
        blotter.onReport("o2", "xyz", "MSFT", "SELL", HUNDRED, PRICE, 1_000, "NEW", BigDecimal.ZERO, null, null, 1_500);
        Blotter.OrderRow row = blotter.newest(null, "MSFT", 10).get(0);
        assertEquals("REJECTED", row.status());
        assertEquals("trading halted: test", row.reason());
        assertEquals(7, row.priceEventTimeMillis(), "what only the order says is added");
    }

    @Test
    void keepsTheNewestOrdersAndFilters() {
        Blotter blotter = new Blotter();
        for (int i = 0; i < Blotter.CAPACITY + 10; i++) {
            blotter.onOrder("o" + i, i % 2 == 0 ? "abc" : "xyz", "T" + (i % 3), "BUY", HUNDRED, PRICE, i, i);
        }
        assertEquals(Blotter.CAPACITY, blotter.newest(null, null, Integer.MAX_VALUE).size());
        assertEquals("o" + (Blotter.CAPACITY + 9), blotter.newest(null, null, 1).get(0).orderId());
        blotter.newest("abc", "T1", 50).forEach(row -> {
            assertEquals("abc", row.strategy());
            assertEquals("T1", row.ticker());
        });
        assertNull(blotter.newest("abc", "T1", 50).stream().filter(r -> r.orderId().equals("o0")).findAny().orElse(null),
                "the oldest were dropped");
    }
}
