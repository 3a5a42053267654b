package trading.strategy.abc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.header.Headers;
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
import trading.schema.Decimals;
import trading.schema.Order;
import trading.schema.OrderIds;
import trading.schema.Price;
import trading.schema.Side;
import trading.schema.Topics;
import trading.schema.kafka.AvroBinarySerde;
import trading.schema.kafka.DeadLetters;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;
import trading.strategy.Position;
import trading.strategy.StrategyDefinition;
import trading.strategy.TickerState;
import trading.strategy.RecentDecisions;
import trading.strategy.streams.CommitRounds;
import trading.strategy.streams.Processing;
import trading.strategy.streams.StrategyTopology;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strategy-abc topology as production builds it, driven by TopologyTestDriver. */
class SmaTopologyTest {

    private static final Instant DECIDED = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path stateDir;

    private final AvroBinarySerde<Price> priceSerde = new AvroBinarySerde<>(Price.getClassSchema());
    private final AvroBinarySerde<Order> orderSerde = new AvroBinarySerde<>(Order.getClassSchema());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Price> prices;
    private TestInputTopic<String, byte[]> rawPrices;
    private TestOutputTopic<String, Order> orders;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        start(Processing.IDEMPOTENT);
    }

    private void start(Processing processing) {
        if (driver != null) {
            driver.close();
        }
        StrategyDefinition<SmaCrossover.Indicators> strategy =
                new StrategyDefinition<>(new SmaCrossover(2, 3), new BigDecimal("100"));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "sma-topology-test-" + processing.name().toLowerCase());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(StrategyTopology.build(strategy, processing, priceSerde, orderSerde,
                Clock.fixed(DECIDED, ZoneOffset.UTC), meters, tracing.get("test")), config);
        prices = driver.createInputTopic(Topics.PRICES, Serdes.String().serializer(), priceSerde.serializer());
        rawPrices = driver.createInputTopic(Topics.PRICES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        orders = driver.createOutputTopic(Topics.ORDERS, Serdes.String().deserializer(), orderSerde.deserializer());
        deadLetters = driver.createOutputTopic(Topics.PRICES_DLQ, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        tracing.close();
    }

    private static Price price(String ticker, long sequence, String value) {
        return Price.newBuilder().setTicker(ticker).setPrice(Decimals.toWire(new BigDecimal(value)))
                .setSize(Decimals.toWire(BigDecimal.ONE)).setEventTime(Instant.ofEpochMilli(1_000 * sequence))
                .setSequence(sequence).setSource("test-feed").setPublishTime(Instant.ofEpochMilli(1_000 * sequence))
                .build();
    }

    private void send(String ticker, long sequence, String value) {
        prices.pipeInput(ticker, price(ticker, sequence, value), Instant.ofEpochMilli(1_000 * sequence));
    }

    private TickerState<?> state(String ticker) {
        KeyValueStore<String, TickerState<?>> store = driver.getKeyValueStore(StrategyTopology.STATE_STORE);
        return store.get(ticker);
    }

    @Test
    void aCrossingBecomesAnOrderKeyedByTicker() {
        send("AAPL", 1, "10");
        send("AAPL", 2, "10");
        send("AAPL", 3, "10");
        assertTrue(orders.isEmpty());
        send("AAPL", 4, "11");

        TestRecord<String, Order> record = orders.readRecord();
        assertEquals("AAPL", record.key());
        Order order = record.value();
        assertEquals(OrderIds.derive("abc", "AAPL", "test-feed", 4), order.getOrderId());
        assertEquals("abc", order.getStrategy());
        assertEquals(Side.BUY, order.getSide());
        assertEquals(0, order.getQuantity().compareTo(new BigDecimal("100")));
        assertEquals(0, order.getReferencePrice().compareTo(new BigDecimal("11")));
        assertEquals(4, order.getPriceSequence());
        assertEquals(Instant.ofEpochMilli(4_000), order.getPriceEventTime());
        assertEquals(DECIDED, order.getDecisionTime());
        assertTrue(orders.isEmpty());
        assertEquals(Position.LONG, state("AAPL").position());
    }

    @Test
    void anOrderContinuesItsPricesTraceAndPricesThatFireNothingStartNoSpan() {
        SpanContext priceSpan = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault());
        for (long sequence = 1; sequence <= 4; sequence++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(TraceHeaders.TRACEPARENT, TraceHeaders.traceparent(priceSpan).getBytes());
            headers.add("other", "kept".getBytes());
            prices.pipeInput(new TestRecord<>("AAPL", price("AAPL", sequence, sequence == 4 ? "11" : "10"), headers,
                    Instant.ofEpochMilli(1_000 * sequence)));
        }

        TestRecord<String, Order> order = orders.readRecord();
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertEquals(1, finished.size(), "one span, for the one price that fired an order: " + finished);
        SpanData decide = finished.get(0);
        assertEquals(priceSpan.getTraceId(), decide.getTraceId());
        assertEquals(priceSpan.getSpanId(), decide.getParentSpanId());
        assertEquals(SpanKind.PRODUCER, decide.getKind());
        assertEquals("AAPL", decide.getAttributes().get(TraceAttributes.TICKER));
        assertEquals("abc", decide.getAttributes().get(TraceAttributes.STRATEGY));
        assertEquals(order.value().getOrderId(), decide.getAttributes().get(TraceAttributes.ORDER_ID));
        // the order's headers name the decision's span (one traceparent, not the price's as well)
        assertEquals(1, order.headers().toArray().length - 1, "headers: " + List.of(order.headers().toArray()));
        assertEquals(TraceHeaders.traceparent(decide.getSpanContext()),
                new String(order.headers().lastHeader(TraceHeaders.TRACEPARENT).value()));
        assertEquals("kept", new String(order.headers().lastHeader("other").value()));
    }

    @Test
    void anOrderOfAnUntracedPriceStartsItsOwnTrace() {
        send("AAPL", 1, "10");
        send("AAPL", 2, "10");
        send("AAPL", 3, "10");
        send("AAPL", 4, "11");
        TestRecord<String, Order> order = orders.readRecord();
        SpanData decide = spans.getFinishedSpanItems().get(0);
        assertEquals(SpanContext.getInvalid().getSpanId(), decide.getParentSpanId());
        assertEquals(decide.getTraceId(), TraceHeaders.traceId(order.headers()));
    }

    @Test
    void underTransactionsARedeliveredPriceProducesNoSecondOrder() {
        start(Processing.TRANSACTIONAL);
        for (int round = 0; round < 2; round++) {
            send("AAPL", 1, "10");
            send("AAPL", 2, "10");
            send("AAPL", 3, "10");
            send("AAPL", 4, "11");
        }
        assertEquals(1, orders.readRecordsToList().size());
        TickerState<?> state = state("AAPL");
        assertEquals(4, state.updates());
        assertEquals(4, state.skipped());
        assertEquals(4, state.lastSequence());
        assertEquals(4, meters.counter("strategy.prices.applied", "strategy", "abc").count());
        assertEquals(4, meters.counter("strategy.prices.skipped", "strategy", "abc").count());
        assertEquals(1, meters.counter("strategy.orders.sent", "strategy", "abc").count());
    }

    @Test
    void idempotentARedeliveredPriceSendsItsOrderAgainWithTheSameIdAndNothingElse() {
        for (int round = 0; round < 2; round++) {
            send("AAPL", 1, "10");
            send("AAPL", 2, "10");
            send("AAPL", 3, "10");
            send("AAPL", 4, "11");
        }
        List<Order> sent = orders.readValuesToList();
        assertEquals(2, sent.size(), "the order of price 4, and again when price 4 came again");
        assertEquals(sent.get(0).getOrderId(), sent.get(1).getOrderId());
        assertEquals(sent.get(0).getSide(), sent.get(1).getSide());
        assertEquals(0, sent.get(0).getReferencePrice().compareTo(sent.get(1).getReferencePrice()));
        assertEquals(sent.get(0).getPriceSequence(), sent.get(1).getPriceSequence());
        TickerState<?> state = state("AAPL");
        assertEquals(4, state.updates(), "a price delivered again changes no state");
        assertEquals(4, state.skipped());
        assertEquals(Position.LONG, state.position());
        assertEquals(1, meters.counter("strategy.orders.sent", "strategy", "abc").count());
        assertEquals(1, meters.counter("strategy.orders.sent.again", "strategy", "abc").count());
    }

    @Test
    void idempotentDecisionsStayInTheStateUntilACommitHasAcknowledgedTheirOrders() {
        // BUY on 11 after 10s, SELL on 9 after 11s, and so on: a crossing every two prices
        long sequence = 0;
        for (int i = 0; i < 3; i++) {
            send("AAPL", ++sequence, "10");
        }
        int crossings = 0;
        String last = "10";
        while (crossings < RecentDecisions.KEPT + 6) {
            last = crossings % 2 == 0 ? "11" : "9";
            send("AAPL", ++sequence, last);
            send("AAPL", ++sequence, last);
            crossings = orders.readValuesToList().size() + crossings;
        }
        assertEquals(crossings, state("AAPL").recentDecisions().size(), "none acknowledged yet: every one kept");

        // Rounds of the thread's commits: the first order asked for the commit that began round 1,
        // and the others were sent in it. The same price again crosses nothing; a price processed
        // a second later begins round 2, whose commit takes round 1's orders out.
        send("AAPL", ++sequence, last);
        driver.advanceWallClockTime(CommitRounds.AT_MOST_EVERY.minusMillis(1));
        send("AAPL", ++sequence, last);
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1));
        send("AAPL", ++sequence, last);
        assertTrue(orders.readValuesToList().isEmpty());
        sequence = crossUntilAnOrder(sequence, crossings++);
        assertEquals(crossings, state("AAPL").recentDecisions().size(),
                "round 2's commit may not have run when the order was decided: every one kept");

        // round 3 begins a second later: round 1's orders are acknowledged, round 2's one is not
        driver.advanceWallClockTime(CommitRounds.AT_MOST_EVERY);
        send("AAPL", ++sequence, crossings % 2 == 0 ? "9" : "11");
        crossUntilAnOrder(sequence, crossings);
        assertEquals(RecentDecisions.KEPT + 1, state("AAPL").recentDecisions().size());
    }

    /** Sends the prices of crossing number {@code crossings} after {@code sequence}; returns the last sequence sent. */
    private long crossUntilAnOrder(long sequence, int crossings) {
        String price = crossings % 2 == 0 ? "11" : "9";
        do {
            send("AAPL", ++sequence, price);
        } while (orders.readValuesToList().isEmpty());
        return sequence;
    }

    @Test
    void anUnknownTickerStartsItsOwnState() {
        assertNull(state("NEWCO"));
        send("NEWCO", 1, "5.5");
        TickerState<?> state = state("NEWCO");
        assertNotNull(state);
        assertEquals(1, state.updates());
        assertEquals(Position.FLAT, state.position());
        assertEquals(0, state.lastPrice().compareTo(new BigDecimal("5.5")));
        assertTrue(orders.isEmpty());
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicAndProcessingGoesOn() {
        byte[] garbage = {0x13, 0x37, (byte) 0xff, (byte) 0xfe};
        rawPrices.pipeInput("AAPL", garbage);
        send("AAPL", 1, "10");

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals("AAPL", dead.get(0).key());
        assertTrue(java.util.Arrays.equals(garbage, dead.get(0).value()), "the original bytes are kept");
        Headers headers = dead.get(0).headers();
        assertTrue(DeadLetters.header(headers, DeadLetters.REASON).startsWith("undecodable: "),
                DeadLetters.header(headers, DeadLetters.REASON));
        assertEquals(Topics.PRICES, DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC));
        assertEquals("0", DeadLetters.header(headers, DeadLetters.SOURCE_OFFSET));
        assertEquals(1, state("AAPL").updates());
    }

    @Test
    void aPriceKeyedByAnotherTickerIsDeadLettered() {
        prices.pipeInput("MSFT", price("AAPL", 1, "10"));
        TestRecord<String, byte[]> dead = deadLetters.readRecord();
        assertEquals("invalid: key 'MSFT' is not the ticker 'AAPL'", DeadLetters.header(dead.headers(), DeadLetters.REASON));
        assertNull(state("AAPL"));
        assertNull(state("MSFT"));
    }
}
