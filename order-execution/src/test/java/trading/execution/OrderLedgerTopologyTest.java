package trading.execution;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.execution.streams.ExecutionTopology;
import trading.schema.BrokerEvent;
import trading.schema.BrokerEventType;
import trading.schema.Decimals;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Order;
import trading.schema.OrderIds;
import trading.schema.OrderType;
import trading.schema.Side;
import trading.schema.Topics;
import trading.schema.TradingControl;
import trading.schema.kafka.AvroBinarySerde;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What order-execution keeps beside its orders: counts per strategy and status kept by the
 * topology, a time index for newest-first pages, and the retention of completed orders with the
 * re-delivery guarantee it bounds.
 */
class OrderLedgerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:30:00Z");

    @TempDir
    Path stateDir;

    private final AvroBinarySerde<Order> orderSerde = new AvroBinarySerde<>(Order.getClassSchema());
    private final AvroBinarySerde<ExecutionReport> reportSerde = new AvroBinarySerde<>(ExecutionReport.getClassSchema());
    private final AvroBinarySerde<BrokerEvent> eventSerde = new AvroBinarySerde<>(BrokerEvent.getClassSchema());
    private TopologyTestDriver driver;
    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, BrokerEvent> brokerEvents;
    private TestOutputTopic<String, ExecutionReport> executions;
    /** order-execution's own clock, which moves with the driver's wall clock. */
    private final DriverClock clock = new DriverClock();

    /** This instance's wall clock: what the processor reads, moved with the driver's. */
    private static final class DriverClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private void advance(Duration duration) {
        clock.now = clock.now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    private void start(String broker) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-ledger-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ExecutionTopology.build(broker, new RiskLimits(new BigDecimal("1000"),
                new BigDecimal("1000000"), new BigDecimal("100000")), new ExecutionTopology.ContractSerdes(orderSerde, reportSerde,
                eventSerde, new AvroBinarySerde<>(TradingControl.getClassSchema())), clock,
                io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")), config, T0);
        orders = driver.createInputTopic(Topics.ORDERS, Serdes.String().serializer(), orderSerde.serializer());
        brokerEvents = driver.createInputTopic(Topics.BROKER_EVENTS, Serdes.String().serializer(), eventSerde.serializer());
        executions = driver.createOutputTopic(Topics.EXECUTIONS, Serdes.String().deserializer(), reportSerde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static Order order(String strategy, long sequence, Side side, Instant decided) {
        return Order.newBuilder()
                .setOrderId(OrderIds.derive(strategy, "AAPL", "test", sequence))
                .setStrategy(strategy).setTicker("AAPL").setSide(side)
                .setQuantity(Decimals.toWire(new BigDecimal("10")))
                .setOrderType(OrderType.MARKET)
                .setReferencePrice(Decimals.toWire(new BigDecimal("187.5")))
                .setPriceSource("test").setPriceSequence(sequence).setPriceEventTime(decided)
                .setDecisionTime(decided)
                .build();
    }

    private long count(String strategy, OrderStatus status) {
        KeyValueStore<String, Long> counts = driver.getKeyValueStore(ExecutionTopology.ORDER_COUNTS_STORE);
        Long count = counts.get(strategy + '|' + status.name());
        return count == null ? 0 : count;
    }

    private OrderRecord stored(Order order) {
        KeyValueStore<String, OrderRecord> store = driver.getKeyValueStore(ExecutionTopology.ORDERS_STORE);
        return store.get(order.getOrderId());
    }

    private List<String> indexedOrderIds() {
        KeyValueStore<String, String> index = driver.getKeyValueStore(ExecutionTopology.ORDERS_BY_TIME_STORE);
        List<String> ids = new ArrayList<>();
        try (var it = index.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key.substring(kv.key.indexOf('|') + 1)));
        }
        return ids;
    }

    @Test
    void countsFollowEveryTransitionWithoutReadingOrders() {
        start(ExecutionSettings.FIX);
        Order buy = order("abc", 1, Side.BUY, T0);
        orders.pipeInput("AAPL", buy);
        orders.pipeInput("AAPL", order("xyz", 2, Side.BUY, T0.plusMillis(1)));
        assertEquals(1, count("abc", OrderStatus.NEW));
        assertEquals(1, count("xyz", OrderStatus.NEW));

        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.SENT, "0"));
        assertEquals(0, count("abc", OrderStatus.NEW));
        assertEquals(1, count("abc", OrderStatus.SENT));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "4"));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "10"));
        assertEquals(0, count("abc", OrderStatus.SENT));
        assertEquals(0, count("abc", OrderStatus.PARTIALLY_FILLED));
        assertEquals(1, count("abc", OrderStatus.FILLED));
        assertEquals(1, count("xyz", OrderStatus.NEW), "another strategy's order is untouched");
    }

    @Test
    void theTimeIndexHoldsEveryOrderOnceOldestFirst() {
        start(PaperBroker.NAME);
        Order late = order("abc", 1, Side.BUY, T0.plusSeconds(5));
        Order early = order("abc", 2, Side.SELL, T0);
        Order middle = order("xyz", 3, Side.BUY, T0.plusSeconds(1));
        orders.pipeInput("AAPL", late);
        orders.pipeInput("AAPL", early);
        orders.pipeInput("AAPL", middle);
        orders.pipeInput("AAPL", late); // a re-delivery adds nothing
        assertEquals(List.of(early.getOrderId(), middle.getOrderId(), late.getOrderId()), indexedOrderIds());
        assertEquals(2, count("abc", OrderStatus.FILLED));
    }

    @Test
    void completedOrdersLeaveAfterTheRetentionWorkingOnesStayAndRedeliveriesAreIgnoredUntilThen() {
        start(ExecutionSettings.FIX);
        Order filled = order("abc", 1, Side.BUY, T0);
        Order working = order("abc", 2, Side.BUY, T0);
        orders.pipeInput("AAPL", filled);
        orders.pipeInput("AAPL", working);
        brokerEvents.pipeInput("AAPL", event(filled, BrokerEventType.FILL, "10"));
        executions.readValuesToList();

        // within the retention the ids are kept: a re-delivered order is recognised
        advance(ExecutionTopology.DEFAULT_RETENTION.minus(Duration.ofHours(1)));
        orders.pipeInput("AAPL", filled);
        assertTrue(executions.isEmpty(), "a re-delivery within the retention is ignored");
        assertNotNull(stored(filled));

        advance(Duration.ofHours(2));
        assertNull(stored(filled), "a completed order leaves the store after the retention");
        assertNotNull(stored(working), "an order still working at the broker stays");
        assertEquals(List.of(working.getOrderId()), indexedOrderIds());
        assertEquals(1, count("abc", OrderStatus.FILLED), "the counts keep what left the store");

        // the bound of the guarantee: past the retention (longer than the topics keep anything) the id is forgotten
        orders.pipeInput("AAPL", filled);
        assertEquals(ExecutionStatus.NEW, executions.readValue().getStatus());
    }

    @Test
    void aStrategyWhoseClockIsBehindCannotShortenTheRetention() {
        start(ExecutionSettings.FIX);
        // decided, by the strategy's clock, two hours before it reached order-execution
        Order late = order("abc", 1, Side.BUY, T0.minus(Duration.ofHours(2)));
        orders.pipeInput("AAPL", late);
        brokerEvents.pipeInput("AAPL", event(late, BrokerEventType.FILL, "10"));
        executions.readValuesToList();

        // by the decision time the retention is over; by this instance's receipt it is not
        advance(ExecutionTopology.DEFAULT_RETENTION.minus(Duration.ofHours(1)));
        assertNotNull(stored(late), "kept for the retention after it arrived here");
        orders.pipeInput("AAPL", late);
        assertTrue(executions.isEmpty(), "a re-delivery is still recognised");

        advance(Duration.ofHours(2));
        assertNull(stored(late), "it leaves once the retention has passed by this instance's clock");
        assertEquals(List.of(), indexedOrderIds());
    }

    private static BrokerEvent event(Order order, BrokerEventType type, String cumulative) {
        return BrokerEvent.newBuilder().setOrderId(order.getOrderId()).setTicker(order.getTicker()).setType(type)
                .setCumulativeQuantity(Decimals.toWire(new BigDecimal(cumulative)))
                .setAveragePrice(type == BrokerEventType.FILL ? Decimals.toWire(new BigDecimal("187.5")) : null)
                .setBroker("fix").setBrokerOrderId("X1").setBrokerExecId("X1-" + cumulative)
                .setEventTime(T0).build();
    }
}
