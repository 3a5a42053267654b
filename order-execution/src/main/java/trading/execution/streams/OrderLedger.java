package trading.execution.streams;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders of one task and what is kept beside them, updated together so that no request has
 * to scan every order: {@link ExecutionTopology#ORDERS_STORE} by order id,
 * {@link ExecutionTopology#ORDERS_BY_TIME_STORE} (decision time, order id → strategy and ticker)
 * for newest-first pages and for expiry, and {@link ExecutionTopology#ORDER_COUNTS_STORE}
 * (strategy and status → orders in that status) for {@code /stats}.
 *
 * <p>A completed order (filled or rejected) is removed after {@code retention}; the counts keep
 * it. While its id is in the store, a re-delivered order is recognised and ignored, so the
 * retention must cover every way an order can come again: a re-delivery on {@code orders} and a
 * strategy reset that reprocesses {@code prices}, both bounded by those topics' retention.
 */
final class OrderLedger {

    private final KeyValueStore<String, OrderRecord> orders;
    private final KeyValueStore<String, String> byTime;
    private final KeyValueStore<String, Long> counts;

    OrderLedger(ProcessorContext<?, ?> context) {
        this.orders = context.getStateStore(ExecutionTopology.ORDERS_STORE);
        this.byTime = context.getStateStore(ExecutionTopology.ORDERS_BY_TIME_STORE);
        this.counts = context.getStateStore(ExecutionTopology.ORDER_COUNTS_STORE);
    }

    OrderRecord get(String orderId) {
        return orders.get(orderId);
    }

    /** Stores {@code next}, which replaces {@code previous} (null for an order seen the first time). */
    void put(OrderRecord previous, OrderRecord next) {
        orders.put(next.orderId(), next);
        if (previous == null) {
            byTime.put(timeKey(next.decisionTimeMicros(), next.orderId()), next.strategy() + '|' + next.ticker());
        } else if (previous.status() == next.status()) {
            return;
        } else {
            add(previous.strategy(), previous.status(), -1);
        }
        add(next.strategy(), next.status(), 1);
    }

    /**
     * Removes completed orders decided, and received here, more than {@code retention} before
     * {@code nowMicros}; returns how many. The decision time is the strategy's clock, which may be
     * wrong; the receipt is this instance's own, so an order never leaves earlier than {@code
     * retention} after it arrived here, however far the strategy's clock is behind. (The index
     * holds decision times for paging: such an order is looked at again each time until it goes.)
     */
    int expire(long nowMicros, Duration retention) {
        long cutoff = nowMicros - retention.toNanos() / 1_000;
        if (cutoff <= 0) {
            return 0;
        }
        List<KeyValue<String, String>> old = new ArrayList<>();
        try (KeyValueIterator<String, String> it = byTime.range(null, timeKey(cutoff, ""))) {
            it.forEachRemaining(old::add);
        }
        int removed = 0;
        for (KeyValue<String, String> entry : old) {
            String orderId = orderIdOf(entry.key);
            OrderRecord order = orders.get(orderId);
            if (order != null && order.timeline().receivedMicros() > cutoff) {
                continue; // decided long ago by the strategy's clock, but received lately by ours
            }
            if (order == null || order.isDone()) {
                orders.delete(orderId);
                byTime.delete(entry.key);
                removed++;
            }
        }
        return removed;
    }

    private void add(String strategy, OrderStatus status, long delta) {
        String key = countKey(strategy, status);
        Long count = counts.get(key);
        counts.put(key, (count == null ? 0 : count) + delta);
    }

    static String countKey(String strategy, OrderStatus status) {
        return strategy + '|' + status.name();
    }

    /** Sorts by decision time as text: 16 digits reach the year 2286 in microseconds. */
    static String timeKey(long decisionTimeMicros, String orderId) {
        return String.format("%016d|%s", Math.max(0, decisionTimeMicros), orderId);
    }

    static String orderIdOf(String timeKey) {
        return timeKey.substring(17);
    }
}
