package trading.launcher;

import trading.launcher.stack.StackConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.RegistrySerdes;
import trading.schema.kafka.TraceHeaders;
import trading.launcher.catalog.StrategyCatalog;
import trading.launcher.catalog.StrategyRules;
import trading.strategy.SignalRule;
import trading.strategy.Tick;
import trading.strategy.TickerState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads what the pipeline wrote, and recomputes what it should have written. */
final class PipelineRecords {

    private PipelineRecords() {
    }

    private static <V> KafkaConsumer<String, V> consumer(StackConfig config, org.apache.kafka.common.serialization.Deserializer<V> values) {
        return new KafkaConsumer<>(config.kafkaClient(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
                new StringDeserializer(), values);
    }

    /** Every ticker's prices in sequence order, read until each reaches the sequence given (bounded wait). */
    static Map<String, List<Price>> prices(StackConfig config, Map<String, Long> upTo) {
        Map<String, List<Price>> byTicker = new HashMap<>();
        Map<String, Long> highest = new HashMap<>();
        var decoder = RegistrySerdes.<Price>valueSerde(config.registryUrl()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = consumer(config, new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.PRICES));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(highest, upTo)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("prices up to " + upTo + " not found; read up to " + highest);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Price price;
                    try {
                        price = decoder.deserialize(record.topic(), record.headers(), record.value());
                    } catch (RuntimeException e) {
                        continue; // the undecodable records the test sent on purpose
                    }
                    byTicker.computeIfAbsent(price.getTicker(), t -> new ArrayList<>()).add(price);
                    highest.merge(price.getTicker(), price.getSequence(), Math::max);
                }
            }
        }
        byTicker.values().forEach(list -> list.sort(Comparator.comparingLong(Price::getSequence)));
        return byTicker;
    }

    private static boolean reached(Map<String, Long> highest, Map<String, Long> upTo) {
        return upTo.entrySet().stream().allMatch(e -> highest.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /**
     * The order ids strategy {@code name} makes from these prices (its rule with its catalog values,
     * run here), up to the sequence applied per ticker.
     */
    static Set<String> expectedOrders(StackConfig config, String name, Map<String, List<Price>> prices, Map<String, Long> upTo) {
        SignalRule<Object> rule = new StrategyRules(config.home()).definition(StrategyCatalog.of(config.home()).get(name)).rule();
        Set<String> ids = new HashSet<>();
        prices.forEach((ticker, list) -> {
            TickerState<Object> state = TickerState.initial(ticker, rule);
            for (Price price : list) {
                if (price.getSequence() > upTo.getOrDefault(ticker, 0L)) {
                    break;
                }
                TickerState.Step<Object> step = state.apply(rule, new Tick(ticker, price.getPrice(),
                        price.getSource(), price.getSequence(), price.getEventTime().toEpochMilli()));
                state = step.state();
                if (step.signal() != null) {
                    ids.add(step.signal().orderId());
                }
            }
        });
        return ids;
    }

    /**
     * The records of {@code topic} (up to its end) that are not in the partition Kafka's Java
     * producer picks for their key (murmur2): the orders of a strategy in another language must
     * meet the Java clients' records of their ticker (broker events, order-execution's state).
     */
    static List<String> misplaced(StackConfig config, String topic) {
        List<String> misplaced = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(config, new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int quietPolls = 0;
            int seen = 0;
            while (System.nanoTime() < deadline && (seen == 0 || quietPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(500));
                quietPolls = records.isEmpty() ? quietPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    seen++;
                    int partitions = consumer.partitionsFor(topic).size();
                    int expected = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                            record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
                    if (record.partition() != expected) {
                        misplaced.add(record.key() + " in " + record.partition() + ", not " + expected);
                    }
                }
            }
        }
        return misplaced;
    }

    /**
     * Every order id on {@code orders} (decoded), or every step on {@code executions} as
     * {@code orderId/STATUS}: each step of an order's life must be there once.
     */
    static List<String> keysOrIds(StackConfig config, String topic, boolean decodeOrders) {
        List<String> ids = new ArrayList<>();
        var decoder = RegistrySerdes.<Order>valueSerde(config.registryUrl()).deserializer();
        var reports = RegistrySerdes.<trading.schema.ExecutionReport>valueSerde(config.registryUrl()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = consumer(config, new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int quietPolls = 0;
            while (System.nanoTime() < deadline && (ids.isEmpty() || quietPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(500));
                quietPolls = records.isEmpty() ? quietPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    ids.add(decodeOrders ? decoder.deserialize(topic, record.headers(), record.value()).getOrderId()
                            : record.key() + "/" + reports.deserialize(topic, record.headers(), record.value()).getStatus());
                }
            }
        }
        return ids;
    }

    /**
     * The trace ids the records of {@code topic} carry in their headers, by {@code key} of each
     * decodable value: everything up to the topic's end when called (a record without trace context
     * gives null).
     */
    static <V extends org.apache.avro.specific.SpecificRecord> Map<String, List<String>> traceIds(StackConfig config,
            String topic, java.util.function.Function<V, String> key) {
        Map<String, List<String>> traces = new HashMap<>();
        var decoder = RegistrySerdes.<V>valueSerde(config.registryUrl()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = consumer(config, new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topic + " not read to " + end + " within 60 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    V value;
                    try {
                        value = decoder.deserialize(topic, record.headers(), record.value());
                    } catch (RuntimeException e) {
                        continue; // the undecodable records the tests sent on purpose
                    }
                    traces.computeIfAbsent(key.apply(value), k -> new ArrayList<>())
                            .add(TraceHeaders.traceId(record.headers()));
                }
            }
        }
        return traces;
    }

    /**
     * Order ids of one strategy on the orders topic (up to the sequences given); the ids seen twice
     * with the same decision (an idempotent strategy sending an order again after a crash, which
     * order-execution takes once); and the ids seen twice with different decisions, which no
     * strategy may ever write.
     */
    record Orders(Set<String> ids, List<String> sentAgain, List<String> conflicting) {
    }

    /** What a strategy decided in an order: everything but the wall-clock time it decided. */
    private static List<Object> decision(Order order) {
        return Arrays.asList(order.getStrategy(), order.getTicker(), order.getSide(), order.getQuantity(),
                order.getOrderType(), order.getLimitPrice(), order.getReferencePrice(), order.getPriceSource(),
                order.getPriceSequence(), order.getPriceEventTime());
    }

    /** Reads the orders topic until every expected id is there or time runs out. */
    static Orders awaitOrders(StackConfig config, String strategy, Map<String, Long> upTo, Set<String> expected,
                              Duration timeout) {
        Set<String> ids = new HashSet<>();
        List<String> sentAgain = new ArrayList<>();
        List<String> conflicting = new ArrayList<>();
        Map<String, List<Object>> decided = new HashMap<>();
        try (KafkaConsumer<String, Order> consumer = consumer(config, RegistrySerdes.<Order>valueSerde(config.registryUrl()).deserializer())) {
            consumer.subscribe(List.of(Topics.ORDERS));
            long deadline = System.nanoTime() + timeout.toNanos();
            int quietPolls = 0;
            // until every expected id is there, then on to the end of the topic (two empty polls)
            while (System.nanoTime() < deadline && (!ids.containsAll(expected) || quietPolls < 2)) {
                var records = consumer.poll(Duration.ofMillis(500));
                quietPolls = records.isEmpty() ? quietPolls + 1 : 0;
                for (ConsumerRecord<String, Order> record : records) {
                    Order order = record.value();
                    List<Object> earlier = decided.putIfAbsent(order.getOrderId(), decision(order));
                    if (earlier != null) {
                        (earlier.equals(decision(order)) ? sentAgain : conflicting).add(order.getOrderId());
                    }
                    if (order.getStrategy().equals(strategy) && order.getPriceSequence() <= upTo.getOrDefault(order.getTicker(), 0L)) {
                        ids.add(order.getOrderId());
                    }
                }
            }
        }
        return new Orders(ids, sentAgain, conflicting);
    }
}
