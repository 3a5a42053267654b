package trading.execution.streams;

import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import trading.execution.Mark;
import trading.execution.OrderRecord;
import trading.execution.PositionBook;
import trading.execution.RiskLimits;
import trading.schema.BrokerEvent;
import trading.schema.ExecutionReport;
import trading.schema.Order;
import trading.schema.Topics;
import trading.schema.TradingControl;
import trading.schema.kafka.DeadLetters;

import java.time.Clock;
import java.time.Duration;

/**
 * order-execution:
 * <pre>
 * orders ──decode (bad → orders.dlq)──► execute ──► executions  (NEW, SENT, FILLED, REJECTED)
 *                                          └──────► broker.orders (FIX only: the gateway's outbox)
 * broker.events ──decode (bad → orders.dlq)──► apply ──► executions (SENT, PARTIALLY_FILLED, FILLED, REJECTED)
 * trading.control ──► global store: the kill switch, the same on every instance
 * </pre>
 * Every output continues the trace of the order it is about (see {@link trading.schema.kafka.TraceHeaders}).
 * Orders and broker events are both keyed by ticker, so an order, its events and its strategy's
 * book in that ticker are always in the same task.
 */
public final class ExecutionTopology {

    /** Per order id: an {@link OrderRecord}. */
    public static final String ORDERS_STORE = "orders-store";
    /** Per decision time and order id ({@link OrderLedger#timeKey}): the order's strategy and ticker. */
    public static final String ORDERS_BY_TIME_STORE = "orders-by-time-store";
    /** Per strategy and status ({@link OrderLedger#countKey}): how many orders are in that status. */
    public static final String ORDER_COUNTS_STORE = "order-counts-store";
    /** Per strategy and ticker ({@link PositionBook#key}): a {@link PositionBook}. */
    public static final String POSITIONS_STORE = "positions-store";
    /** Per ticker: the {@link Mark} open positions are valued at. */
    public static final String MARKS_STORE = "marks-store";
    /** Global: the latest {@code trading.control} record's bytes under {@link TradingSwitch#KEY}. */
    public static final String CONTROL_STORE = "trading-control-store";

    private ExecutionTopology() {
    }

    /** The serdes of the contracts order-execution reads and writes. */
    public record ContractSerdes(Serde<Order> orders, Serde<ExecutionReport> reports, Serde<BrokerEvent> brokerEvents,
                                  Serde<TradingControl> control) {
    }

    public static Topology build(String broker, RiskLimits limits, ContractSerdes serdes, Clock clock, Tracer tracer) {
        return build(broker, limits, serdes, clock, DEFAULT_RETENTION, tracer,
                new ExecutionMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), strategy -> Double.NaN));
    }

    /**
     * How long a completed order stays in {@link #ORDERS_STORE} (and so how long its re-delivery is
     * recognised): the default retention of {@code orders} and {@code prices}, 7 days.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /** @param retention how long completed orders are kept; at least the retention of {@code orders} and {@code prices} */
    public static Topology build(String broker, RiskLimits limits, ContractSerdes serdes, Clock clock, Duration retention,
                                 Tracer tracer, ExecutionMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDERS_STORE),
                Serdes.String(), StateCodecs.orders()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDERS_BY_TIME_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDER_COUNTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POSITIONS_STORE),
                Serdes.String(), StateCodecs.positions()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MARKS_STORE),
                Serdes.String(), StateCodecs.marks()).withCachingEnabled());
        // The global store is filled from the topic as it is, so it keeps bytes; TradingSwitch decodes.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTROL_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                Topics.TRADING_CONTROL, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("trading-control"),
                ControlUpdater::new);

        var rawOrders = builder.stream(Topics.ORDERS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("orders"));
        KStream<String, ExecutionOutput> fromOrders = DeadLetters.decode(rawOrders, serdes.orders().deserializer(),
                        ExecutionTopology::orderKeyProblem, Topics.ORDERS_DLQ, "decode-order")
                .process(() -> new ExecutionProcessor(broker, limits, serdes.control().deserializer(), clock, retention,
                                tracer),
                        Named.as("execute"), ORDERS_STORE, ORDERS_BY_TIME_STORE, ORDER_COUNTS_STORE, POSITIONS_STORE, MARKS_STORE);

        var rawEvents = builder.stream(Topics.BROKER_EVENTS,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("broker-events"));
        KStream<String, ExecutionOutput> fromBroker = DeadLetters.decode(rawEvents, serdes.brokerEvents().deserializer(),
                        ExecutionTopology::eventKeyProblem, Topics.ORDERS_DLQ, "decode-broker-event")
                .process(() -> new BrokerEventProcessor(clock, tracer), Named.as("apply-broker-event"),
                        ORDERS_STORE, ORDERS_BY_TIME_STORE, ORDER_COUNTS_STORE, POSITIONS_STORE);

        fromOrders.merge(fromBroker, Named.as("outputs"))
                .split(Named.as("output-"))
                .branch((key, out) -> out.brokerOrder() != null, Branched.withConsumer(outbox -> outbox
                        .mapValues(ExecutionOutput::brokerOrder, Named.as("broker-order"))
                        .to(Topics.BROKER_ORDERS, Produced.with(Serdes.String(), serdes.orders()).withName("broker-orders")),
                        "outbox"))
                .defaultBranch(Branched.withConsumer(reports -> reports
                        .mapValues(ExecutionOutput::report, Named.as("report"))
                        .peek((orderId, report) -> metrics.report(report), Named.as("count-report"))
                        .to(Topics.EXECUTIONS, Produced.with(Serdes.String(), serdes.reports()).withName("executions")),
                        "reports"));
        return builder.build();
    }

    /** Orders are partitioned by ticker; one keyed otherwise would split a ticker's books across tasks. */
    private static String orderKeyProblem(String key, Order order) {
        return order.getTicker() != null && order.getTicker().equals(key) ? null
                : "key '" + key + "' is not the ticker '" + order.getTicker() + "'";
    }

    private static String eventKeyProblem(String key, BrokerEvent event) {
        return event.getTicker() != null && event.getTicker().equals(key) ? null
                : "key '" + key + "' is not the ticker '" + event.getTicker() + "'";
    }

    /** Keeps the latest control record; runs on the global thread of every instance. */
    private static final class ControlUpdater implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(CONTROL_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() != null) {
                store.put(record.key(), record.value());
            }
        }
    }
}
