package trading.strategy.__package__;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.TracerProvider;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
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
import trading.strategy.StrategyDefinition;
import trading.strategy.streams.StrategyTopology;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule in the topology every strategy service runs, driven by TopologyTestDriver: prices in, orders out. */
class __Camel__TopologyTest {

    @TempDir
    Path stateDir;

    private final AvroBinarySerde<Price> priceSerde = new AvroBinarySerde<>(Price.getClassSchema());
    private final AvroBinarySerde<Order> orderSerde = new AvroBinarySerde<>(Order.getClassSchema());
    private TopologyTestDriver driver;
    private TestInputTopic<String, Price> prices;
    private TestInputTopic<String, byte[]> rawPrices;
    private TestOutputTopic<String, Order> orders;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        StrategyDefinition<__Camel__Rule.Indicators> strategy =
                StrategyDefinition.of(new __Camel__Rule("__name__", 3), new BigDecimal("100"));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "__name__-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(StrategyTopology.build(strategy, priceSerde, orderSerde, Clock.systemUTC(),
                new SimpleMeterRegistry(), TracerProvider.noop().get("test")), config);
        prices = driver.createInputTopic(Topics.PRICES, Serdes.String().serializer(), priceSerde.serializer());
        rawPrices = driver.createInputTopic(Topics.PRICES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        orders = driver.createOutputTopic(Topics.ORDERS, Serdes.String().deserializer(), orderSerde.deserializer());
        deadLetters = driver.createOutputTopic(Topics.PRICES_DLQ, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(long sequence, String value) {
        Price price = Price.newBuilder().setTicker("AAPL").setPrice(Decimals.toWire(new BigDecimal(value)))
                .setSize(Decimals.toWire(BigDecimal.ONE)).setEventTime(Instant.ofEpochMilli(1_000 * sequence))
                .setSequence(sequence).setSource("test-feed").setPublishTime(Instant.ofEpochMilli(1_000 * sequence))
                .build();
        prices.pipeInput("AAPL", price, Instant.ofEpochMilli(1_000 * sequence));
    }

    @Test
    void aBreakoutBecomesOneOrderWithItsDerivedIdAndARedeliveryTheSameOrderAgain() {
        send(1, "10");
        send(2, "11");
        send(3, "10");
        assertTrue(orders.isEmpty());
        send(4, "12");
        Order order = orders.readValue();
        assertEquals(Side.BUY, order.getSide());
        assertEquals("__name__", order.getStrategy());
        assertEquals(OrderIds.derive("__name__", "AAPL", "test-feed", 4), order.getOrderId());
        // the same price again: already applied, so nothing new is decided; under idempotent
        // processing (the default) its order goes out again with the same id, which
        // order-execution takes once (docs/architecture.md, "Two ways to exactly once")
        send(4, "12");
        assertEquals(order.getOrderId(), orders.readValue().getOrderId());
        assertTrue(orders.isEmpty());
        send(5, "12");
        assertTrue(orders.isEmpty(), "a new price that crosses nothing decides nothing");
    }

    @Test
    void anUndecodablePriceGoesToTheDeadLetterTopic() {
        rawPrices.pipeInput("AAPL", new byte[]{1, 2, 3});
        assertEquals(1, deadLetters.readRecordsToList().size());
        assertTrue(orders.isEmpty());
    }
}
