package trading.exchange;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import trading.exchange.fix.ExchangeFixApplication;
import trading.schema.Decimals;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.RegistrySerdes;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exchange's market: the last price of each ticker from the pipeline's {@code prices}, read
 * without a consumer group, from the last {@code history} records of each partition on start. A price may fill limit orders
 * waiting for it.
 */
final class MarketPrices implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MarketPrices.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<Price> deserializer;
    private final long history;
    private final ExchangeFixApplication application;
    private final ExchangeBook book;
    private final AtomicLong seen = new AtomicLong();
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch caughtUp = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running = true;

    /** {@code kafka}: the consumer's bootstrap servers and login ({@link trading.support.KafkaConnection}). */
    MarketPrices(Map<String, Object> kafka, String registryUrl, long history,
                 ExchangeFixApplication application, ExchangeBook book) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.deserializer = RegistrySerdes.<Price>valueSerde(registryUrl).deserializer();
        this.history = history;
        this.application = application;
        this.book = book;
        this.thread = new Thread(this::run, "exchange-prices");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long seen() {
        return seen.get();
    }

    /**
     * Waits until the prices that were on the topic at start are read, so that an order arriving
     * right after a restart is filled at the market, not rejected for want of a price.
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRICES, Duration.ofSeconds(60)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            // the last prices of each partition: every ticker's recent price, read in seconds
            Map<TopicPartition, Long> firsts = consumer.beginningOffsets(partitions);
            consumer.endOffsets(partitions).forEach((partition, end) ->
                    consumer.seek(partition, Math.max(firsts.get(partition), end - history)));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    caughtUp.countDown();
                    LOG.infof("market prices loaded: %,d prices (the last %,d of each partition)", seen.get(), history);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "price consumer stopped; the exchange keeps its last prices");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        Price price;
        try {
            price = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return; // the pipeline dead-letters bad prices; the exchange just does not trade on them
        }
        if (price == null || price.getPrice() == null || price.getPrice().signum() <= 0) {
            return;
        }
        seen.incrementAndGet();
        for (ExchangeBook.Report report : book.price(price.getTicker(), Decimals.forDisplay(price.getPrice()))) {
            application.send(report, null, '1');
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
