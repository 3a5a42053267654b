package trading.launcher.backtest;

import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import trading.feed.replay.PriceFile;
import trading.schema.Price;
import trading.schema.kafka.RegistrySerdes;
import trading.strategy.Tick;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The prices of a running stack's topic as a backtest's source: what a {@code read_committed}
 * consumer sees from {@code from} (record time, which is when the feed published) up to what is
 * on the topic when the backtest starts, without {@code to}'s later records. Partitions are read
 * in their own order, so each ticker's prices come in the order the strategies saw them. No
 * consumer group: nothing is committed, and no group's offsets move.
 */
public final class TopicPrices implements Backtest.Source {

    private final StackConfig stack;
    private final String topic;
    private final Instant from;
    private final Instant to;
    private Map<TopicPartition, Long> start;
    private Map<TopicPartition, Long> end;

    public TopicPrices(StackConfig stack, String topic, Instant from, Instant to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new StackException("--to (" + to + ") is before --from (" + from + ")");
        }
        this.stack = stack;
        this.topic = topic;
        this.from = from;
        this.to = to;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(stack.kafkaClient(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The range to read, fixed once: the topic's end now, and the first offset at or after {@code from}. */
    private void bounds(KafkaConsumer<String, byte[]> consumer) {
        if (start != null) {
            return;
        }
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new StackException("no Kafka answers on " + stack.bootstrapServers() + ": is the stack up (./pipeline up)?");
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new StackException("no topic '" + topic + "' on " + stack.bootstrapServers());
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        end = consumer.endOffsets(all);
        start = new HashMap<>(consumer.beginningOffsets(all));
        if (from != null) {
            Map<TopicPartition, Long> at = new HashMap<>();
            all.forEach(partition -> at.put(partition, from.toEpochMilli()));
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(at).entrySet()) {
                start.put(found.getKey(), found.getValue() == null ? end.get(found.getKey()) : found.getValue().offset());
            }
        }
    }

    @Override
    public long total() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            bounds(consumer);
        }
        return end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - start.get(e.getKey()))).sum();
    }

    @Override
    public PriceFile.Counts read(Consumer<Tick> ticks, Consumer<String> skipped) {
        Deserializer<Price> decoder = RegistrySerdes.<Price>valueSerde(stack.registryUrl()).deserializer();
        long good = 0;
        long bad = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            bounds(consumer);
            List<TopicPartition> unread = end.keySet().stream().filter(p -> start.get(p) < end.get(p)).toList();
            consumer.assign(unread);
            unread.forEach(partition -> consumer.seek(partition, start.get(partition)));
            while (!consumer.assignment().isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition) || (to != null && record.timestamp() > to.toEpochMilli())) {
                        continue;
                    }
                    Price price;
                    try {
                        price = decoder.deserialize(topic, record.headers(), record.value());
                    } catch (RuntimeException e) {
                        bad++;
                        skipped.accept(topic + "-" + record.partition() + "@" + record.offset() + " skipped: not a price ("
                                + e.getMessage() + ")");
                        continue;
                    }
                    good++;
                    ticks.accept(new Tick(price.getTicker(), price.getPrice(), price.getSource(), price.getSequence(),
                            price.getEventTime().toEpochMilli()));
                }
                // a partition read to the end of the range leaves the assignment (read_committed: the
                // position also passes transaction markers, so compare positions, not record offsets)
                List<TopicPartition> remaining = consumer.assignment().stream()
                        .filter(p -> consumer.position(p) < end.get(p)).toList();
                if (remaining.size() < consumer.assignment().size()) {
                    consumer.assign(remaining);
                }
            }
        }
        return new PriceFile.Counts(good, bad);
    }
}
