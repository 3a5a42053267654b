package trading.execution.streams;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import trading.execution.OrderRecord;
import trading.execution.PositionBook;
import trading.support.Unavailable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/** Reads order-execution's stores on this instance. */
@ApplicationScoped
public class ExecutionQueries {

    private final KafkaStreams streams;

    public ExecutionQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    public Optional<OrderRecord> order(String orderId) {
        try {
            return Optional.ofNullable(orders().get(orderId));
        } catch (InvalidStateStoreException e) {
            // a task still restoring or being assigned: ask again shortly
            throw new Unavailable("order-execution's stores are not queryable now: " + e.getMessage());
        }
    }

    /**
     * Up to {@code limit} orders of {@code partitions} (this instance's), newest decision first,
     * that pass {@code filter} (on strategy and ticker) and come after {@code before} in that order
     * (a page cursor, {@code <decisionTimeMicros>:<orderId>}; null for the first page).
     * Each partition's time index is walked from its newest entry and the walks are merged, so a
     * request reads about {@code limit} entries, never every order; one walk over all the local
     * stores at once would not do: it goes store by store, and the first store's newest orders
     * would hide newer ones of the others.
     */
    public List<OrderRecord> newestOrders(BiPredicate<String, String> filter, String before, int limit, Set<Integer> partitions) {
        ReadOnlyKeyValueStore<String, OrderRecord> orders = orders();
        List<KeyValueIterator<String, String>> walks = new ArrayList<>();
        // the walk whose next entry is the newest (the greatest key) first
        PriorityQueue<KeyValueIterator<String, String>> heads = new PriorityQueue<>(
                Comparator.comparing((KeyValueIterator<String, String> walk) -> walk.peekNextKey()).reversed());
        List<OrderRecord> page = new ArrayList<>();
        try {
            for (int partition : partitions) {
                ReadOnlyKeyValueStore<String, String> index = streams.store(StoreQueryParameters.fromNameAndType(
                        ExecutionTopology.ORDERS_BY_TIME_STORE, QueryableStoreTypes.<String, String>keyValueStore()).withPartition(partition));
                KeyValueIterator<String, String> walk = before == null ? index.reverseAll() : index.reverseRange(null, before);
                walks.add(walk);
                if (walk.hasNext()) {
                    heads.add(walk);
                }
            }
            while (!heads.isEmpty() && page.size() < limit) {
                KeyValueIterator<String, String> walk = heads.poll();
                KeyValue<String, String> entry = walk.next();
                if (walk.hasNext()) {
                    heads.add(walk);
                }
                if (entry.key.equals(before)) {
                    continue;
                }
                int bar = entry.value.indexOf('|');
                if (filter.test(entry.value.substring(0, bar), entry.value.substring(bar + 1))) {
                    OrderRecord order = orders.get(OrderLedger.orderIdOf(entry.key));
                    if (order != null) {
                        page.add(order);
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("order-execution's stores are not queryable now: " + e.getMessage());
        } finally {
            walks.forEach(KeyValueIterator::close);
        }
        return page;
    }

    /** The time-index key of a page cursor {@code <decisionTimeMicros>:<orderId>}, as {@link #newestOrders} takes it. */
    public static String cursorKey(long decisionTimeMicros, String orderId) {
        return OrderLedger.timeKey(decisionTimeMicros, orderId);
    }

    /** Orders of this instance by strategy and status, kept up to date by the topology. */
    public java.util.Map<String, java.util.Map<trading.execution.OrderStatus, Long>> counts() {
        java.util.Map<String, java.util.Map<trading.execution.OrderStatus, Long>> counts = new java.util.TreeMap<>();
        ReadOnlyKeyValueStore<String, Long> store = store(ExecutionTopology.ORDER_COUNTS_STORE);
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> {
                int bar = kv.key.lastIndexOf('|');
                counts.computeIfAbsent(kv.key.substring(0, bar), s -> new java.util.EnumMap<>(trading.execution.OrderStatus.class))
                        // one entry per task holding the strategy's orders: summed
                        .merge(trading.execution.OrderStatus.valueOf(kv.key.substring(bar + 1)), kv.value, Long::sum);
            });
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("order-execution's stores are not queryable now: " + e.getMessage());
        }
        return counts;
    }

    public List<PositionBook> positions() {
        return scan(store(ExecutionTopology.POSITIONS_STORE), book -> true);
    }

    /** Each ticker's {@link Mark}, what open positions are valued at. */
    public java.util.Map<String, trading.execution.Mark> marks() {
        java.util.Map<String, trading.execution.Mark> marks = new java.util.HashMap<>();
        ReadOnlyKeyValueStore<String, trading.execution.Mark> store = store(ExecutionTopology.MARKS_STORE);
        try (KeyValueIterator<String, trading.execution.Mark> it = store.all()) {
            it.forEachRemaining(kv -> marks.put(kv.key, kv.value));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("order-execution's stores are not queryable now: " + e.getMessage());
        }
        return marks;
    }

    private ReadOnlyKeyValueStore<String, OrderRecord> orders() {
        return store(ExecutionTopology.ORDERS_STORE);
    }

    private static <V> List<V> scan(ReadOnlyKeyValueStore<String, V> store, Predicate<V> filter) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (filter.test(kv.value)) {
                    values.add(kv.value);
                }
            });
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("order-execution's stores are not queryable now: " + e.getMessage());
        }
        return values;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("store " + name + " is not queryable now (Kafka Streams is " + streams.state() + ")");
        }
    }
}
