package trading.dashboard;

import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every ticker the dashboard has seen: its recent prices (from the {@code prices} topic) and each
 * strategy's position in it (from order-execution, see {@link ServiceWatch}). Rows that changed
 * wait in a {@link Coalescer} for the next push.
 */
@ApplicationScoped
public class MarketBoard {

    /** A line of the ticker list; {@code changePercent} is against the first price this dashboard saw. */
    public record TickerRow(String ticker, double last, double changePercent, long updates,
                            Map<String, BigDecimal> positions) {
    }

    private final Map<String, PriceHistory> histories = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, BigDecimal>> positions = new ConcurrentHashMap<>();
    private final Coalescer<String, String> changed = new Coalescer<>();

    /** From the Kafka reader's thread. */
    void onPrice(String ticker, long eventTimeMillis, double price, long sequence) {
        histories.computeIfAbsent(ticker, t -> new PriceHistory()).add(eventTimeMillis, price, sequence);
        changed.offer(ticker, ticker);
    }

    /** A strategy's position in a ticker, as order-execution last reported it. */
    void onPosition(String strategy, String ticker, BigDecimal quantity) {
        Map<String, BigDecimal> byStrategy = positions.computeIfAbsent(ticker, t -> new ConcurrentSkipListMap<>());
        BigDecimal before = byStrategy.put(strategy, quantity);
        if (before == null || before.compareTo(quantity) != 0) {
            changed.offer(ticker, ticker);
        }
    }

    PriceHistory history(String ticker) {
        return histories.get(ticker);
    }

    boolean knows(String ticker) {
        return histories.containsKey(ticker);
    }

    int tickerCount() {
        return histories.size();
    }

    /** The rows changed since the last call, each once, with what it holds now. */
    List<TickerRow> changedRows() {
        List<TickerRow> rows = new ArrayList<>();
        for (String ticker : changed.drain()) {
            TickerRow row = row(ticker);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** Every row, for a page that just connected (or missed a push). */
    List<TickerRow> allRows() {
        List<TickerRow> rows = new ArrayList<>(histories.size());
        for (String ticker : histories.keySet()) {
            rows.add(row(ticker));
        }
        return rows;
    }

    private TickerRow row(String ticker) {
        PriceHistory history = histories.get(ticker);
        if (history == null) {
            return null; // a position of a ticker whose prices this dashboard has not read (yet)
        }
        double last = history.last();
        double first = history.first();
        double change = first > 0 ? (last - first) / first * 100 : 0;
        return new TickerRow(ticker, last, change, history.count(), Map.copyOf(positions.getOrDefault(ticker, Map.of())));
    }
}
