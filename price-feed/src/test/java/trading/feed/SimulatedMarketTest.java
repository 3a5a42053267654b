package trading.feed;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedMarketTest {

    private static List<SimulatedMarket.Quote> quotes(List<String> tickers, long seed, int count) {
        SimulatedMarket market = new SimulatedMarket(tickers, seed, 0.002);
        List<SimulatedMarket.Quote> quotes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            quotes.add(market.next());
        }
        return quotes;
    }

    @Test
    void theSameSeedGivesTheSamePrices() {
        assertEquals(quotes(List.of("AAPL", "MSFT"), 42, 1000), quotes(List.of("AAPL", "MSFT"), 42, 1000));
    }

    @Test
    void anotherSeedGivesOtherPrices() {
        assertNotEquals(quotes(List.of("AAPL"), 42, 10), quotes(List.of("AAPL"), 43, 10));
    }

    @Test
    void aTickersPathDoesNotDependOnTheOtherTickers() {
        List<SimulatedMarket.Quote> alone = quotes(List.of("AAPL"), 42, 50);
        List<SimulatedMarket.Quote> mixed = quotes(List.of("MSFT", "AAPL", "TSLA"), 42, 150).stream()
                .filter(q -> q.ticker().equals("AAPL")).toList();
        assertEquals(alone, mixed);
    }

    @Test
    void tickersTakeTurnsWithTheirOwnSequences() {
        Map<String, Long> last = new HashMap<>();
        for (SimulatedMarket.Quote quote : quotes(List.of("A", "B", "C"), 1, 300)) {
            assertEquals(last.getOrDefault(quote.ticker(), 0L) + 1, quote.sequence());
            last.put(quote.ticker(), quote.sequence());
            assertTrue(quote.price().signum() > 0);
            assertEquals(SimulatedMarket.PRICE_SCALE, quote.price().scale());
        }
        assertEquals(Map.of("A", 100L, "B", 100L, "C", 100L), last);
    }

    @Test
    void refusesAnEmptyMarketOrAnAbsurdVolatility() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatedMarket(List.of(), 1, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedMarket(List.of("A"), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedMarket(List.of("A"), 1, 1.5));
    }
}
