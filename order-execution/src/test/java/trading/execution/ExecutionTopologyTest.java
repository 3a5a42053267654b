package trading.execution;

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
import trading.schema.Decimals;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Order;
import trading.schema.OrderIds;
import trading.schema.OrderType;
import trading.schema.Side;
import trading.schema.Topics;
import trading.schema.kafka.AvroBinarySerde;
import trading.schema.kafka.DeadLetters;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order-execution topology as production builds it, driven by TopologyTestDriver. */
class ExecutionTopologyTest {

    @TempDir
    Path stateDir;

    private final AvroBinarySerde<Order> orderSerde = new AvroBinarySerde<>(Order.getClassSchema());
    private final AvroBinarySerde<ExecutionReport> reportSerde = new AvroBinarySerde<>(ExecutionReport.getClassSchema());
    private TopologyTestDriver driver;
    private TestInputTopic<String, Order> orders;
    private TestOutputTopic<String, ExecutionReport> executions;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "execution-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ExecutionTopology.build(new PaperBroker(), orderSerde, reportSerde,
                Clock.systemUTC()), config);
        orders = driver.createInputTopic(Topics.ORDERS, Serdes.String().serializer(), orderSerde.serializer());
        executions = driver.createOutputTopic(Topics.EXECUTIONS, Serdes.String().deserializer(), reportSerde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
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

    private PositionBook book(String strategy, String ticker) {
        KeyValueStore<String, PositionBook> store = driver.getKeyValueStore(ExecutionTopology.POSITIONS_STORE);
        return store.get(PositionBook.key(strategy, ticker));
    }

    @Test
    void anOrderIsFilledAtItsReferencePriceAndBooked() {
        Order buy = order("abc", "AAPL", 4, Side.BUY, "100", "187.5");
        orders.pipeInput("AAPL", buy);

        TestRecord<String, ExecutionReport> record = executions.readRecord();
        assertEquals(buy.getOrderId(), record.key());
        ExecutionReport report = record.value();
        assertEquals(ExecutionStatus.FILLED, report.getStatus());
        assertEquals(0, report.getFillPrice().compareTo(new BigDecimal("187.5")));
        assertEquals(0, report.getFilledQuantity().compareTo(new BigDecimal("100")));
        assertEquals("paper", report.getBroker());
        assertEquals(4, report.getPriceSequence());

        PositionBook book = book("abc", "AAPL");
        assertEquals(0, book.quantity().compareTo(new BigDecimal("100")));
        assertEquals(0, book.averagePrice().compareTo(new BigDecimal("187.5")));
    }

    @Test
    void aRedeliveredOrderIsHandledOnce() {
        Order buy = order("abc", "AAPL", 4, Side.BUY, "100", "10");
        orders.pipeInput("AAPL", buy);
        orders.pipeInput("AAPL", buy);
        assertEquals(1, executions.readRecordsToList().size());
        assertEquals(0, book("abc", "AAPL").quantity().compareTo(new BigDecimal("100")));
    }

    @Test
    void positionsFollowTheFillsPerStrategy() {
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "100", "10"));
        orders.pipeInput("AAPL", order("xyz", "AAPL", 1, Side.BUY, "100", "11"));
        orders.pipeInput("AAPL", order("abc", "AAPL", 2, Side.SELL, "100", "12"));
        assertEquals(3, executions.readRecordsToList().size());
        assertEquals(0, book("abc", "AAPL").quantity().signum());
        assertEquals(0, book("abc", "AAPL").realizedPnl().compareTo(new BigDecimal("200")));
        assertEquals(0, book("xyz", "AAPL").quantity().compareTo(new BigDecimal("100")));
    }

    @Test
    void anInvalidOrderIsRejectedWithItsReasonAndNeverFilled() {
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "0", "10"));
        ExecutionReport report = executions.readValue();
        assertEquals(ExecutionStatus.REJECTED, report.getStatus());
        assertEquals("quantity must be positive, was 0", report.getReason());
        assertNull(report.getFillPrice());
        assertNull(book("abc", "AAPL"));
    }

    @Test
    void anUndecodableOrderGoesToTheDeadLetterTopic() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.ORDERS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        TestOutputTopic<String, byte[]> dead = driver.createOutputTopic(Topics.ORDERS_DLQ, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        raw.pipeInput("AAPL", "not avro".getBytes());
        orders.pipeInput("AAPL", order("abc", "AAPL", 1, Side.BUY, "100", "10"));

        List<TestRecord<String, byte[]>> letters = dead.readRecordsToList();
        assertEquals(1, letters.size());
        assertTrue(DeadLetters.header(letters.get(0).headers(), DeadLetters.REASON).startsWith("undecodable"));
        assertEquals(1, executions.readRecordsToList().size());
    }
}
