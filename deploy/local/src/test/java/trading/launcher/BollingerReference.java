package trading.launcher;

import trading.feed.replay.PriceFile;
import trading.schema.OrderIds;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strategy qrs written again here, from its definition and with nothing of its code (which is
 * Python): Bollinger mean reversion, long/flat, over the last N prices; m the mean, v the
 * population variance; FLAT and p below m by more than k standard deviations, (m - p)² > k²·v,
 * buys; LONG and p ≥ m sells. BigDecimal throughout: with N = 20 every mean and variance is an
 * exact decimal (20 divides a power of ten), so nothing is rounded.
 */
final class BollingerReference {

    private BollingerReference() {
    }

    /** Order id → "qrs TICKER SIDE QUANTITY PRICE SEQUENCE", as PipelineIT compares orders. */
    static Map<String, String> orders(PriceFile file, int window, BigDecimal k, BigDecimal quantity) {
        Map<String, Deque<BigDecimal>> windows = new HashMap<>();
        Map<String, Boolean> long_ = new HashMap<>();
        Map<String, String> orders = new TreeMap<>();
        BigDecimal n = BigDecimal.valueOf(window);
        file.read(row -> {
            Deque<BigDecimal> prices = windows.computeIfAbsent(row.ticker(), t -> new ArrayDeque<>());
            prices.addLast(row.price());
            if (prices.size() > window) {
                prices.removeFirst();
            }
            if (prices.size() < window) {
                return;
            }
            BigDecimal p = row.price();
            BigDecimal mean = prices.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(n);
            BigDecimal variance = prices.stream().map(x -> x.subtract(mean).pow(2)).reduce(BigDecimal.ZERO, BigDecimal::add).divide(n);
            boolean holding = long_.getOrDefault(row.ticker(), false);
            String side = null;
            if (!holding && p.compareTo(mean) < 0 && mean.subtract(p).pow(2).compareTo(k.pow(2).multiply(variance)) > 0) {
                side = "BUY";
            } else if (holding && p.compareTo(mean) >= 0) {
                side = "SELL";
            }
            if (side != null) {
                long_.put(row.ticker(), side.equals("BUY"));
                orders.put(OrderIds.derive("qrs", row.ticker(), file.source(), row.sequence()), "qrs " + row.ticker() + " " + side
                        + " " + quantity.stripTrailingZeros().toPlainString() + " " + p.stripTrailingZeros().toPlainString()
                        + " " + row.sequence());
            }
        }, bad -> {
        });
        return orders;
    }
}
