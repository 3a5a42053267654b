package trading.execution.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import trading.execution.OrderRecord;
import trading.execution.PaperBroker;
import trading.execution.PositionBook;
import trading.schema.ExecutionReport;
import trading.schema.Order;
import trading.schema.Topics;
import trading.schema.kafka.DeadLetters;
import trading.schema.kafka.JsonSerde;

import java.time.Clock;

/**
 * order-execution: {@code orders} → decode (bad records to {@code orders.dlq}) → once per order id
 * (remembered in {@link #ORDERS_STORE}) check, hand to the broker, book the fill in
 * {@link #POSITIONS_STORE} → {@code executions}.
 */
public final class ExecutionTopology {

    /** Per order id: an {@link OrderRecord}. Orders are keyed by ticker, so an id always lands in the same task. */
    public static final String ORDERS_STORE = "orders-store";
    /** Per strategy and ticker ({@link PositionBook#key}): a {@link PositionBook}. */
    public static final String POSITIONS_STORE = "positions-store";

    private ExecutionTopology() {
    }

    public static Topology build(PaperBroker broker, Serde<Order> orderSerde, Serde<ExecutionReport> reportSerde,
                                 Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDERS_STORE),
                Serdes.String(), JsonSerde.of(OrderRecord.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POSITIONS_STORE),
                Serdes.String(), JsonSerde.of(PositionBook.class)).withCachingEnabled());

        var raw = builder.stream(Topics.ORDERS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("orders"));
        DeadLetters.decode(raw, orderSerde.deserializer(), ExecutionTopology::keyProblem, Topics.ORDERS_DLQ)
                .process(() -> new ExecutionProcessor(broker, clock), Named.as("execute"), ORDERS_STORE, POSITIONS_STORE)
                .to(Topics.EXECUTIONS, Produced.with(Serdes.String(), reportSerde).withName("executions"));
        return builder.build();
    }

    /** Orders are partitioned by ticker; one keyed otherwise would split a ticker's books across tasks. */
    private static String keyProblem(String key, Order order) {
        return order.getTicker() != null && order.getTicker().equals(key) ? null
                : "key '" + key + "' is not the ticker '" + order.getTicker() + "'";
    }
}
