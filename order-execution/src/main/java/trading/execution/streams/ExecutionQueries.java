package trading.execution.streams;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import trading.execution.OrderRecord;
import trading.execution.PositionBook;
import trading.support.Unavailable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    public List<OrderRecord> orders(Predicate<OrderRecord> filter) {
        return scan(orders(), filter);
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
