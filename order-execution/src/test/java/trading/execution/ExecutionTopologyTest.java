package trading.execution;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.execution.streams.ExecutionTopology;
import trading.schema.BrokerEvent;
import trading.schema.BrokerEventType;
import trading.schema.Decimals;
import trading.schema.TradingControl;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Order;
import trading.schema.OrderIds;
import trading.schema.OrderType;
import trading.schema.Side;
import trading.schema.Topics;
import trading.schema.kafka.AvroBinarySerde;
import trading.schema.kafka.DeadLetters;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order-execution topology as production builds it, driven by TopologyTestDriver. */
class ExecutionTopologyTest {

    @TempDir
    Path stateDir;

    private static final RiskLimits LIMITS = new RiskLimits(new BigDecimal("1000"), new BigDecimal("100000"),
            new BigDecimal("300"));

    private final AvroBinarySerde<Order> orderSerde = new AvroBinarySerde<>(Order.getClassSchema());
    private final AvroBinarySerde<ExecutionReport> reportSerde = new AvroBinarySerde<>(ExecutionReport.getClassSchema());
    private final AvroBinarySerde<BrokerEvent> eventSerde = new AvroBinarySerde<>(BrokerEvent.getClassSchema());
    private final AvroBinarySerde<TradingControl> controlSerde = new AvroBinarySerde<>(TradingControl.getClassSchema());
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, BrokerEvent> brokerEvents;
    private TestInputTopic<String, TradingControl> control;
    private TestOutputTopic<String, ExecutionReport> executions;
    private TestOutputTopic<String, Order> outbox;

    private void start(String broker) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "execution-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ExecutionTopology.build(broker, LIMITS,
                new ExecutionTopology.ContractSerdes(orderSerde, reportSerde, eventSerde, controlSerde), Clock.systemUTC(),
                tracing.get("test")), config);
        orders = driver.createInputTopic(Topics.ORDERS, Serdes.String().serializer(), orderSerde.serializer());
        brokerEvents = driver.createInputTopic(Topics.BROKER_EVENTS, Serdes.String().serializer(), eventSerde.serializer());
        control = driver.createInputTopic(Topics.TRADING_CONTROL, Serdes.String().serializer(), controlSerde.serializer());
        executions = driver.createOutputTopic(Topics.EXECUTIONS, Serdes.String().deserializer(), reportSerde.deserializer());
        outbox = driver.createOutputTopic(Topics.BROKER_ORDERS, Serdes.String().deserializer(), orderSerde.deserializer());
    }

    @BeforeEach
    void paper() {
        start(PaperBroker.NAME);
    }

    @AfterEach
    void stop() {
        driver.close();
        tracing.close();
    }

    private void restart(String broker) {
        driver.close();
        start(broker);
    }

    private static Order order(String strategy, String ticker, long sequence, Side side, String quantity, String price) {
        return Order.newBuilder()
                .setOrderId(OrderIds.derive(strategy, ticker, "test", sequence))
                .setStrategy(strategy).setTicker(ticker).setSide(side)
                .setQuantity(Decimals.toWire(new BigDecimal(quantity)))
                .setOrderType(OrderType.MARKET)
                .setReferencePrice(Decimals.toWire(new BigDecimal(price)))
                .setPriceSource("test").setPriceSequence(sequence).setPriceEventTime(Instant.ofEpochMilli(sequence))
                .setDecisionTime(Instant.ofEpochMilli(sequence + 1))
                .build();
    }

    private static BrokerEvent event(Order order, BrokerEventType type, String cumulative, String average) {
        return BrokerEvent.newBuilder().setOrderId(order.getOrderId()).setTicker(order.getTicker()).setType(type)
                .setCumulativeQuantity(Decimals.toWire(new BigDecimal(cumulative)))
                .setAveragePrice(average == null ? null : Decimals.toWire(new BigDecimal(average)))
                .setBroker("fix").setBrokerOrderId("X1").setBrokerExecId("X1-1")
                .setReason(type == BrokerEventType.REJECTED ? "no liquidity" : null)
                .setEventTime(Instant.EPOCH).build();
    }

    private PositionBook book(String strategy, String ticker) {
        KeyValueStore<String, PositionBook> store = driver.getKeyValueStore(ExecutionTopology.POSITIONS_STORE);
        return store.get(PositionBook.key(strategy, ticker));
    }

    private List<ExecutionStatus> statuses() {
        return executions.readValuesToList().stream().map(ExecutionReport::getStatus).collect(Collectors.toList());
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void onThePaperBrokerAnOrderGoesNewSentFilledAtItsReferencePriceAndIsBooked() {
        Order buy = order("abc", "AAPL", 4, Side.BUY, "100", "187.5");
        orders.pipeInput("AAPL", buy);

        List<TestRecord<String, ExecutionReport>> records = executions.readRecordsToList();
        assertEquals(List.of(ExecutionStatus.NEW, ExecutionStatus.SENT, ExecutionStatus.FILLED),
                records.stream().map(r -> r.value().getStatus()).toList());
        assertTrue(records.stream().allMatch(r -> r.key().equals(buy.getOrderId())));
        ExecutionReport report = records.get(2).value();
        assertAmount("187.5", report.getFillPrice());
        assertAmount("100", report.getFilledQuantity());
        assertEquals("paper", report.getBroker());
        assertEquals(4, report.getPriceSequence());

        PositionBook book = book("abc", "AAPL");
        assertAmount("100", book.quantity());
        assertAmount("187.5", book.averagePrice());
        assertAmount("0", book.pendingBuy());
        assertTrue(outbox.isEmpty(), "the paper broker needs no outbox");
    }

    @Test
    void aRedeliveredOrderIsHandledOnce() {
        Order buy = order("abc", "AAPL", 4, Side.BUY, "100", "10");
        orders.pipeInput("AAPL", buy);
        orders.pipeInput("AAPL", buy);
        assertEquals(3, executions.readRecordsToList().size());
        assertAmount("100", book("abc", "AAPL").quantity());
    }

    @Test
    void positionsFollowTheFillsPerStrategy() {
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "100", "10"));
        orders.pipeInput("AAPL", order("xyz", "AAPL", 1, Side.BUY, "100", "11"));
        orders.pipeInput("AAPL", order("abc", "AAPL", 2, Side.SELL, "100", "12"));
        assertEquals(3, statuses().stream().filter(s -> s == ExecutionStatus.FILLED).count());
        assertEquals(0, book("abc", "AAPL").quantity().signum());
        assertAmount("200", book("abc", "AAPL").realizedPnl());
        assertAmount("100", book("xyz", "AAPL").quantity());
    }

    @Test
    void anInvalidOrderIsRejectedWithItsReasonAndNeverFilled() {
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "0", "10"));
        ExecutionReport report = executions.readValue();
        assertEquals(ExecutionStatus.REJECTED, report.getStatus());
        assertEquals("quantity must be positive, was 0", report.getReason());
        assertNull(report.getFillPrice());
        assertTrue(executions.isEmpty());
        assertNull(book("abc", "AAPL"));
    }

    @Test
    void anOrderPastARiskLimitIsRejectedWithTheLimitAndNothingIsBooked() {
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "200", "10"));
        orders.pipeInput("AAPL", order("abc", "AAPL", 2, Side.BUY, "200", "10")); // 400 > max position 300
        orders.pipeInput("AAPL", order("abc", "AAPL", 3, Side.BUY, "50", "2001")); // notional 100 050
        List<ExecutionReport> reports = executions.readValuesToList();
        List<ExecutionReport> rejected = reports.stream().filter(r -> r.getStatus() == ExecutionStatus.REJECTED).toList();
        assertEquals(2, rejected.size(), reports.toString());
        assertTrue(rejected.get(0).getReason().startsWith("position of abc in AAPL would reach 400"), rejected.get(0).getReason());
        assertTrue(rejected.get(1).getReason().startsWith("order notional 100050 is above the limit of 100000"),
                rejected.get(1).getReason());
        assertAmount("200", book("abc", "AAPL").quantity());
    }

    @Test
    void whileHaltedNewOrdersAreRejectedAndAfterResumeTheyFillAgain() {
        control.pipeInput("trading", TradingControl.newBuilder().setHalted(true).setReason("market closed")
                .setChangedBy("test").setChangedAt(Instant.EPOCH).build());
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "100", "10"));
        ExecutionReport report = executions.readValue();
        assertEquals(ExecutionStatus.REJECTED, report.getStatus());
        assertEquals("trading halted: market closed", report.getReason());
        assertTrue(executions.isEmpty());

        control.pipeInput("trading", TradingControl.newBuilder().setHalted(false)
                .setChangedBy("test").setChangedAt(Instant.EPOCH).build());
        orders.pipeInput("AAPL", order("abc", "AAPL", 2, Side.BUY, "100", "10"));
        assertEquals(List.of(ExecutionStatus.NEW, ExecutionStatus.SENT, ExecutionStatus.FILLED), statuses());
    }

    @Test
    void withFixAnOrderIsRecordedAsNewAndPutOnTheOutboxThenFollowsTheBrokersEvents() {
        restart(ExecutionSettings.FIX);
        Order buy = order("abc", "AAPL", 1, Side.BUY, "100", "10");
        orders.pipeInput("AAPL", buy);
        assertEquals(List.of(ExecutionStatus.NEW), statuses());
        assertEquals(buy, outbox.readValue());
        assertAmount("100", book("abc", "AAPL").pendingBuy());

        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.SENT, "0", null));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.ACCEPTED, "0", null));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "40", "10"));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "40", "10")); // resent: nothing new
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "100", "10.6")); // 60 more at 11
        List<ExecutionReport> reports = executions.readValuesToList();
        assertEquals(List.of(ExecutionStatus.SENT, ExecutionStatus.PARTIALLY_FILLED, ExecutionStatus.FILLED),
                reports.stream().map(ExecutionReport::getStatus).toList());
        assertEquals("X1", reports.get(2).getBrokerOrderId());
        assertAmount("10.6", reports.get(2).getFillPrice());

        PositionBook book = book("abc", "AAPL");
        assertAmount("100", book.quantity());
        assertAmount("10.6", book.averagePrice());
        assertAmount("0", book.pendingBuy());
        assertAmount("11", book.lastFillPrice());
    }

    /** An order as a strategy sends it: its headers name the strategy's span. */
    private static final SpanContext DECISION = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

    private void pipeTraced(Order order) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceHeaders.TRACEPARENT, TraceHeaders.traceparent(DECISION).getBytes());
        orders.pipeInput(new TestRecord<>(order.getTicker(), order, headers));
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + spans.getFinishedSpanItems()));
    }

    private OrderRecord stored(Order order) {
        KeyValueStore<String, OrderRecord> store = driver.getKeyValueStore(ExecutionTopology.ORDERS_STORE);
        return store.get(order.getOrderId());
    }

    @Test
    void onThePaperBrokerEveryReportContinuesTheOrdersTraceAndEveryStepIsTimed() {
        Order buy = order("abc", "AAPL", 1, Side.BUY, "100", "10");
        pipeTraced(buy);

        SpanData check = span("risk check");
        assertEquals(DECISION.getTraceId(), check.getTraceId());
        assertEquals(DECISION.getSpanId(), check.getParentSpanId());
        assertEquals("ACCEPTED", check.getAttributes().get(TraceAttributes.STATUS));
        assertEquals(buy.getOrderId(), check.getAttributes().get(TraceAttributes.ORDER_ID));
        SpanData fill = span("paper fill");
        assertEquals(check.getSpanId(), fill.getParentSpanId());
        List<TestRecord<String, ExecutionReport>> reports = executions.readRecordsToList();
        assertEquals(3, reports.size());
        for (TestRecord<String, ExecutionReport> report : reports) {
            assertEquals(DECISION.getTraceId(), TraceHeaders.traceId(report.headers()), report.value().getStatus().name());
        }

        OrderTimeline timeline = stored(buy).timeline();
        assertTrue(timeline.receivedMicros() > 0, timeline.toString());
        assertTrue(timeline.riskCheckedMicros() >= timeline.receivedMicros(), timeline.toString());
        assertEquals(timeline.riskCheckedMicros(), timeline.sentMicros());
        assertEquals(timeline.sentMicros(), timeline.completedMicros());
        assertEquals(TraceHeaders.traceparent(check.getSpanContext()), timeline.traceparent());
    }

    @Test
    void aRejectedOrderIsTracedWithItsReason() {
        pipeTraced(order("abc", "AAPL", 1, Side.BUY, "100000", "10"));
        SpanData check = span("risk check");
        assertEquals("REJECTED", check.getAttributes().get(TraceAttributes.STATUS));
        assertTrue(check.getAttributes().get(TraceAttributes.REASON).contains("limit"),
                check.getAttributes().get(TraceAttributes.REASON));
        assertEquals(DECISION.getTraceId(), TraceHeaders.traceId(executions.readRecord().headers()));
    }

    @Test
    void withFixTheOutboxAndTheBrokersReportsContinueTheTraceAndTheBrokersTimesAreKept() {
        restart(ExecutionSettings.FIX);
        Order buy = order("abc", "AAPL", 1, Side.BUY, "100", "10");
        pipeTraced(buy);
        SpanData check = span("risk check");
        assertEquals(TraceHeaders.traceparent(check.getSpanContext()),
                new String(outbox.readRecord().headers().lastHeader(TraceHeaders.TRACEPARENT).value()));
        executions.readRecordsToList();

        Instant sent = Instant.parse("2026-01-02T03:04:05.000100Z");
        Instant accepted = sent.plusMillis(2);
        // the gateway's records carry no trace context of their own: the stored one is used
        brokerEvents.pipeInput("AAPL", BrokerEvent.newBuilder(event(buy, BrokerEventType.SENT, "0", null))
                .setEventTime(sent).build());
        brokerEvents.pipeInput("AAPL", BrokerEvent.newBuilder(event(buy, BrokerEventType.ACCEPTED, "0", null))
                .setEventTime(accepted).build());
        brokerEvents.pipeInput("AAPL", BrokerEvent.newBuilder(event(buy, BrokerEventType.FILL, "100", "10"))
                .setEventTime(accepted.plusMillis(3)).build());
        List<TestRecord<String, ExecutionReport>> reports = executions.readRecordsToList();
        assertEquals(List.of(ExecutionStatus.SENT, ExecutionStatus.FILLED),
                reports.stream().map(report -> report.value().getStatus()).toList());
        for (TestRecord<String, ExecutionReport> report : reports) {
            assertEquals(DECISION.getTraceId(), TraceHeaders.traceId(report.headers()));
        }
        assertEquals(check.getSpanId(), span("broker fill").getParentSpanId());
        assertEquals("AAPL", span("broker fill").getAttributes().get(TraceAttributes.TICKER));

        OrderTimeline timeline = stored(buy).timeline();
        assertEquals(sent.toEpochMilli() * 1_000 + 100, timeline.sentMicros());
        assertEquals(accepted.toEpochMilli() * 1_000 + 100, timeline.acknowledgedMicros());
        assertEquals(accepted.plusMillis(3).toEpochMilli() * 1_000 + 100, timeline.completedMicros());
    }

    /** With the FIX broker: {@code order} decided, and the gateway's SENT event for it. */
    private Order sentOverFix(Order order) {
        restart(ExecutionSettings.FIX);
        orders.pipeInput(order.getTicker(), order);
        brokerEvents.pipeInput(order.getTicker(), event(order, BrokerEventType.SENT, "0", null));
        return order;
    }

    @Test
    void aBrokerRejectionReleasesTheWorkingQuantityAndLaterFillsAreIgnored() {
        Order sell = sentOverFix(order("xyz", "MSFT", 1, Side.SELL, "100", "10"));
        brokerEvents.pipeInput("MSFT", event(sell, BrokerEventType.REJECTED, "0", null));
        brokerEvents.pipeInput("MSFT", event(sell, BrokerEventType.FILL, "100", "10"));
        List<ExecutionReport> reports = executions.readValuesToList();
        assertEquals(List.of(ExecutionStatus.NEW, ExecutionStatus.SENT, ExecutionStatus.REJECTED),
                reports.stream().map(ExecutionReport::getStatus).toList());
        assertEquals("broker rejected: no liquidity", reports.get(2).getReason());
        assertAmount("0", book("xyz", "MSFT").pendingSell());
        assertAmount("0", book("xyz", "MSFT").quantity());
    }

    @Test
    void anOverfillIsBookedOnlyUpToTheOrdersQuantity() {
        Order buy = sentOverFix(order("abc", "AAPL", 1, Side.BUY, "100", "10"));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "60", "10"));
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "250", "10")); // the exchange says 250 of 100
        brokerEvents.pipeInput("AAPL", event(buy, BrokerEventType.FILL, "300", "10")); // and more: nothing is left to book
        List<ExecutionReport> reports = executions.readValuesToList();
        assertEquals(ExecutionStatus.FILLED, reports.get(reports.size() - 1).getStatus());
        assertAmount("100", reports.get(reports.size() - 1).getFilledQuantity());
        assertAmount("100", book("abc", "AAPL").quantity());
        assertAmount("0", book("abc", "AAPL").pendingBuy());
    }

    @Test
    void eventsForOrdersNeverSentAreIgnored() {
        restart(ExecutionSettings.FIX);
        brokerEvents.pipeInput("AAPL", event(order("abc", "AAPL", 9, Side.BUY, "1", "1"), BrokerEventType.FILL, "1", "1"));
        assertTrue(executions.isEmpty());
        assertNull(book("abc", "AAPL"));
    }

    @Test
    void undecodableOrdersAndBrokerEventsGoToTheDeadLetterTopic() {
        TestInputTopic<String, byte[]> rawOrders = driver.createInputTopic(Topics.ORDERS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        TestInputTopic<String, byte[]> rawEvents = driver.createInputTopic(Topics.BROKER_EVENTS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        TestOutputTopic<String, byte[]> dead = driver.createOutputTopic(Topics.ORDERS_DLQ, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        rawOrders.pipeInput("AAPL", "not avro".getBytes());
        rawEvents.pipeInput("AAPL", "not avro either".getBytes());
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "100", "10"));

        List<TestRecord<String, byte[]>> letters = dead.readRecordsToList();
        assertEquals(2, letters.size());
        assertTrue(DeadLetters.header(letters.get(0).headers(), DeadLetters.REASON).startsWith("undecodable"));
        assertEquals(Topics.BROKER_EVENTS, DeadLetters.header(letters.get(1).headers(), DeadLetters.SOURCE_TOPIC));
        assertEquals(3, executions.readRecordsToList().size());
    }
}
