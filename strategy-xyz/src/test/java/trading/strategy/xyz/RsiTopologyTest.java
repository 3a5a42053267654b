package trading.strategy.xyz;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import trading.schema.kafka.DeadLetters;
import trading.strategy.StrategyDefinition;
import trading.strategy.streams.StrategyTopology;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strategy-xyz topology as production builds it, driven by TopologyTestDriver. */
class RsiTopologyTest {

    @TempDir
    Path stateDir;

    private final AvroBinarySerde<Price> priceSerde = new AvroBinarySerde<>(Price.getClassSchema());
    private final AvroBinarySerde<Order> orderSerde = new AvroBinarySerde<>(Order.getClassSchema());
    private TopologyTestDriver driver;
    private TestInputTopic<String, Price> prices;
    private TestOutputTopic<String, Order> orders;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rsi-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StrategyDefinition<WilderRsi.Indicators> strategy = new StrategyDefinition<>(
                new WilderRsi(2, new BigDecimal("30"), new BigDecimal("70")), new BigDecimal("25"));
        driver = new TopologyTestDriver(StrategyTopology.build(strategy, priceSerde, orderSerde, Clock.systemUTC(),
                new SimpleMeterRegistry(), io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")), config);
        prices = driver.createInputTopic(Topics.PRICES, Serdes.String().serializer(), priceSerde.serializer());
        orders = driver.createOutputTopic(Topics.ORDERS, Serdes.String().deserializer(), orderSerde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(String ticker, long sequence, String value) {
        prices.pipeInput(ticker, Price.newBuilder().setTicker(ticker).setPrice(Decimals.toWire(new BigDecimal(value)))
                .setSize(Decimals.toWire(BigDecimal.ONE)).setEventTime(Instant.ofEpochMilli(sequence))
                .setSequence(sequence).setSource("file.csv").build());
    }

    @Test
    void oversoldThenOverboughtGivesABuyThenASell() {
        String[] values = {"10", "11", "12", "8", "20"};
        for (int i = 0; i < values.length; i++) {
            send("MSFT", i + 1, values[i]);
        }
        List<Order> sent = orders.readValuesToList();
        assertEquals(2, sent.size());
        assertEquals(Side.BUY, sent.get(0).getSide());
        assertEquals(OrderIds.derive("xyz", "MSFT", "file.csv", 4), sent.get(0).getOrderId());
        assertEquals(0, sent.get(0).getQuantity().compareTo(new BigDecimal("25")));
        assertEquals(Side.SELL, sent.get(1).getSide());
        assertEquals(0, sent.get(1).getReferencePrice().compareTo(new BigDecimal("20")));
    }

    @Test
    void aNonPositivePriceIsDeadLettered() {
        TestOutputTopic<String, byte[]> dead = driver.createOutputTopic(Topics.PRICES_DLQ,
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        send("MSFT", 1, "0");
        String reason = DeadLetters.header(dead.readRecord().headers(), DeadLetters.REASON);
        assertTrue(reason.startsWith("invalid: price must be positive"), reason);
    }
}
