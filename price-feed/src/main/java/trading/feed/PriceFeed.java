package trading.feed;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.schema.Decimals;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.RegistrySerdes;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * price-feed: publishes the simulated market on {@code prices}, keyed by ticker, at a steady rate,
 * with an idempotent {@code acks=all} producer. {@link #status()} is what {@code GET /feed} shows.
 */
@ApplicationScoped
public class PriceFeed {

    private static final Logger LOG = Logger.getLogger(PriceFeed.class);

    @ConfigProperty(name = "feed.tickers")
    List<String> tickers;
    @ConfigProperty(name = "feed.rate", defaultValue = "200")
    double rate;
    @ConfigProperty(name = "feed.seed", defaultValue = "42")
    long seed;
    @ConfigProperty(name = "feed.volatility", defaultValue = "0.002")
    double volatility;
    @ConfigProperty(name = "feed.source")
    Optional<String> configuredSource;
    @ConfigProperty(name = "feed.limit", defaultValue = "0")
    long limit;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "pipeline.registry-url")
    String registryUrl;

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running;
    private volatile Instant startedAt;
    private volatile String source;
    private Thread thread;
    private KafkaProducer<String, Price> producer;

    void start(@Observes StartupEvent event) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("feed.rate must be positive, was " + rate);
        }
        SimulatedMarket market = new SimulatedMarket(tickers, seed, volatility);
        // A run of the simulator is a source of its own: sequences restart at 1 with every run, and
        // the strategies skip a (source, sequence) they have already applied.
        source = configuredSource.orElse("sim-" + seed + "-" + System.currentTimeMillis());
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                RegistrySerdes.<Price>valueSerde(registryUrl).serializer());
        running = true;
        startedAt = Instant.now();
        thread = new Thread(() -> publish(market), "price-feed");
        thread.start();
        LOG.infof("publishing %d tickers at %.0f prices/s to %s as source %s", tickers.size(), rate, Topics.PRICES, source);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "price-feed");
        return config;
    }

    private void publish(SimulatedMarket market) {
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long start = System.nanoTime();
        long sent = 0;
        while (running && (limit <= 0 || sent < limit)) {
            long due = start + sent * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing to the configured rate
                continue;
            }
            SimulatedMarket.Quote quote = market.next();
            Instant now = Instant.now();
            Price price = Price.newBuilder()
                    .setTicker(quote.ticker())
                    .setPrice(Decimals.toWire(quote.price()))
                    .setSize(Decimals.toWire(quote.size()))
                    .setEventTime(now)
                    .setSequence(quote.sequence())
                    .setSource(source)
                    .setPublishTime(now)
                    .build();
            producer.send(new ProducerRecord<>(Topics.PRICES, null, now.toEpochMilli(), quote.ticker(), price),
                    (metadata, error) -> {
                        if (error == null) {
                            published.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            lastError.set(error.toString());
                            LOG.warnf("could not publish %s: %s", quote.ticker(), error);
                        }
                    });
            sent++;
        }
        producer.flush();
        running = false;
        LOG.infof("feed stopped after %d prices", sent);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }

    /** What the feed is doing, for {@code GET /feed}. */
    public record Status(String mode, String source, boolean running, List<String> tickers, double targetRate,
                         double actualRate, long published, long failed, String lastError, long seed,
                         Instant startedAt) {
    }

    public Status status() {
        double seconds = startedAt == null ? 0 : java.time.Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        long done = published.get();
        return new Status("simulated", source, running, tickers, rate, seconds > 0 ? Math.round(done / seconds * 10) / 10.0 : 0,
                done, failed.get(), lastError.get(), seed, startedAt);
    }
}
