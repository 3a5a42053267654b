package trading.dashboard;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.schema.ExecutionReport;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.DeadLetters;
import trading.schema.kafka.DependencyUnavailable;
import trading.schema.kafka.RegistrySerdes;
import trading.support.KafkaConnection;
import trading.support.RegistryConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads {@code prices}, {@code orders} and {@code executions} as a plain read_committed consumer
 * without a group: it assigns itself every partition, so each dashboard replica sees the whole
 * stream, commits nothing and joins no one's group. On start it goes back {@code dashboard.lookback}
 * in time, so the page has recent history at once. The dead-letter topics it reads from their
 * beginning, to count them and show the latest reason.
 */
@ApplicationScoped
public class TopicReader {

    private static final Logger LOG = Logger.getLogger(TopicReader.class);

    private final MarketBoard board;
    private final Blotter blotter;
    private final KafkaConnection kafka;
    private final String registryUrl;
    private final Duration lookback;
    private final AtomicLong prices = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final Map<String, AtomicLong> deadLetters = new java.util.concurrent.ConcurrentSkipListMap<>(
            Map.of(Topics.PRICES_DLQ, new AtomicLong(), Topics.ORDERS_DLQ, new AtomicLong()));
    private volatile String lastDeadLetterReason;
    /** Where to go on after the consumer had to be recreated: nothing is applied twice. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private volatile boolean assigned;
    private volatile String lastError;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public TopicReader(MarketBoard board, Blotter blotter,
                       KafkaConnection kafka, RegistryConnection registry,
                       @ConfigProperty(name = "dashboard.lookback") Duration lookback) {
        this.board = board;
        this.blotter = blotter;
        this.kafka = kafka;
        this.registryUrl = registry.registryUrl();
        this.lookback = lookback;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "dashboard-topic-reader");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Whether every partition is assigned and reading began. */
    public boolean assigned() {
        return assigned;
    }

    public long pricesRead() {
        return prices.get();
    }

    public long undecodable() {
        return undecodable.get();
    }

    /** Records on each dead-letter topic (read_committed). */
    public Map<String, Long> deadLetters() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        deadLetters.forEach((topic, count) -> counts.put(topic, count.get()));
        return counts;
    }

    public String lastDeadLetterReason() {
        return lastDeadLetterReason;
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dashboard");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        // Pages are pushed every dashboard.push-interval (250 ms): answering a fetch at each batch of
        // prices (the default, one byte is enough) made this thread 5 % of a core at 200 prices/s and
        // the broker answer it every few milliseconds. A fetch now waits for 64 KiB or 100 ms.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        Deserializer<Price> priceReader = RegistrySerdes.<Price>valueSerde(registryUrl).deserializer();
        Deserializer<Order> orderReader = RegistrySerdes.<Order>valueSerde(registryUrl).deserializer();
        Deserializer<ExecutionReport> reportReader = RegistrySerdes.<ExecutionReport>valueSerde(registryUrl).deserializer();
        while (!Thread.currentThread().isInterrupted()) {
            try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                assignAndRewind(kafka);
                assigned = true;
                lastError = null;
                while (true) {
                    var records = kafka.poll(Duration.ofMillis(200));
                    for (TopicPartition partition : records.partitions()) {
                        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                            // a DependencyUnavailable (the registry away) starts over at this record
                            apply(record, priceReader, orderReader, reportReader);
                            resumeAt.put(partition, record.offset() + 1);
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                assigned = false;
                lastError = e.toString();
                LOG.warnf("reading the topics failed (%s); starting over in 2 s", e.toString());
                try {
                    Thread.sleep(2_000); // a back-off, not a wait for a condition
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void assignAndRewind(KafkaConsumer<byte[], byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.PRICES, Topics.ORDERS, Topics.EXECUTIONS, Topics.PRICES_DLQ, Topics.ORDERS_DLQ)) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (yet)");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        kafka.assign(partitions);
        long since = System.currentTimeMillis() - lookback.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(times, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition partition : partitions) {
            Long resume = resumeAt.get(partition);
            if (resume != null) {
                kafka.seek(partition, resume);
                continue;
            }
            if (deadLetters.containsKey(partition.topic())) {
                kafka.seek(partition, 0); // counted from the start (the broker skips what retention removed)
                continue;
            }
            OffsetAndTimestamp offset = offsets.get(partition);
            kafka.seek(partition, offset != null ? offset.offset() : ends.get(partition));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, Deserializer<Price> priceReader,
                       Deserializer<Order> orderReader, Deserializer<ExecutionReport> reportReader) {
        try {
            switch (record.topic()) {
                case Topics.PRICES -> {
                    Price price = priceReader.deserialize(record.topic(), record.headers(), record.value());
                    board.onPrice(price.getTicker(), price.getEventTime().toEpochMilli(), price.getPrice().doubleValue(),
                            price.getSequence());
                    prices.incrementAndGet();
                }
                case Topics.ORDERS -> {
                    Order order = orderReader.deserialize(record.topic(), record.headers(), record.value());
                    blotter.onOrder(order.getOrderId(), order.getStrategy(), order.getTicker(), order.getSide().name(),
                            order.getQuantity(), order.getReferencePrice(), micros(order.getDecisionTime()),
                            order.getPriceEventTime().toEpochMilli());
                }
                case Topics.EXECUTIONS -> {
                    ExecutionReport report = reportReader.deserialize(record.topic(), record.headers(), record.value());
                    blotter.onReport(report.getOrderId(), report.getStrategy(), report.getTicker(), report.getSide().name(),
                            report.getQuantity(), report.getReferencePrice(), micros(report.getDecisionTime()),
                            report.getStatus().name(), report.getFilledQuantity(), report.getFillPrice(),
                            report.getReason(), micros(report.getReportTime()));
                }
                case Topics.PRICES_DLQ, Topics.ORDERS_DLQ -> {
                    deadLetters.get(record.topic()).incrementAndGet();
                    org.apache.kafka.common.header.Header reason = record.headers().lastHeader(DeadLetters.REASON);
                    if (reason != null) {
                        lastDeadLetterReason = record.topic() + ": " + new String(reason.value(), StandardCharsets.UTF_8);
                    }
                }
                default -> {
                }
            }
        } catch (DependencyUnavailable e) {
            throw e; // not the record's fault: read again once the registry answers, never skipped
        } catch (RuntimeException e) {
            // the services send what they cannot decode to the dead-letter topics; the page only shows it
            if (undecodable.incrementAndGet() <= 10) {
                LOG.warnf("skipping an undecodable record at %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
    }

    private static long micros(java.time.Instant time) {
        return time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000;
    }
}
