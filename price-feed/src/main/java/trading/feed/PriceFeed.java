package trading.feed;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.feed.replay.PriceFile;
import trading.schema.Decimals;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.DependencyUnavailable;
import trading.schema.kafka.PriceRecords;
import trading.schema.kafka.RegistrySerdes;
import trading.support.KafkaConnection;
import trading.support.RegistryConnection;

import java.nio.file.Path;

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
 * price-feed: publishes the simulated market ({@code feed.mode=simulated}) or replays a CSV file
 * ({@code feed.mode=replay}) on {@code prices}, keyed by ticker, with an idempotent {@code acks=all}
 * producer. {@link #status()} is what {@code GET /feed} shows.
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
    @ConfigProperty(name = "feed.ticker-count", defaultValue = "0")
    int tickerCount;
    @ConfigProperty(name = "feed.mode", defaultValue = "simulated")
    String mode;
    @ConfigProperty(name = "feed.replay.file")
    Optional<String> replayFile;
    @ConfigProperty(name = "feed.replay.speed", defaultValue = "max")
    String replaySpeed;
    @Inject
    KafkaConnection kafka;
    @Inject
    RegistryConnection registry;
    @Inject
    Tracer tracer;
    @Inject
    MeterRegistry meters;

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running;
    /** Why the feed is waiting to publish its next price (the registry is away), or null. */
    private volatile String waitingFor;
    /** What ended the feed's thread before its work was done, or null. */
    private volatile String died;
    /** Who asked the feed to stop ({@code POST /feed/stop}), or null. */
    private volatile String stoppedBy;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile String source;
    private Thread thread;
    private volatile ReplayProgress replay;
    private KafkaProducer<String, Price> producer;

    void start(@Observes StartupEvent event) {
        // read when scraped: nothing per price beyond the count the feed keeps anyway
        FunctionCounter.builder("feed.prices.published", published, AtomicLong::get)
                .description("prices the broker acknowledged").register(meters);
        FunctionCounter.builder("feed.prices.failed", failed, AtomicLong::get)
                .description("prices the broker refused").register(meters);
        Runnable work;
        if (mode.equals("replay")) {
            PriceFile file = PriceFile.open(Path.of(replayFile.orElseThrow(() ->
                    new IllegalArgumentException("feed.mode=replay needs feed.replay.file"))));
            ReplaySpeed speed = ReplaySpeed.parse(replaySpeed);
            source = configuredSource.orElse(file.source());
            replay = new ReplayProgress(file.path().toString(), speed.toString());
            work = () -> replay(file, speed);
            LOG.infof("replaying %s at speed %s to %s as source %s", file.path(), speed, Topics.PRICES, source);
        } else if (mode.equals("simulated")) {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("feed.rate must be positive, was " + rate);
            }
            if (tickerCount > 0) {
                // a large market for load and failover runs: T0001, T0002, ...
                tickers = java.util.stream.IntStream.rangeClosed(1, tickerCount)
                        .mapToObj(i -> String.format("T%04d", i)).toList();
            }
            SimulatedMarket market = new SimulatedMarket(tickers, seed, volatility);
            // A run of the simulator is a source of its own: sequences restart at 1 with every run, and
            // the strategies skip a (source, sequence) they have already applied.
            source = configuredSource.orElse("sim-" + seed + "-" + System.currentTimeMillis());
            work = () -> publish(market);
            LOG.infof("publishing %d tickers at %.0f prices/s to %s as source %s", tickers.size(), rate, Topics.PRICES, source);
        } else {
            throw new IllegalArgumentException("feed.mode must be simulated or replay, was '" + mode + "'");
        }
        Serializer<Price> valueSerializer = RegistrySerdes.<Price>valueSerde(registry.registryUrl()).serializer();
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), valueSerializer);
        running = true;
        startedAt = Instant.now();
        thread = new Thread(() -> {
            try {
                warmUp(valueSerializer);
                work.run();
            } catch (RuntimeException | Error e) {
                died = e.toString();
                running = false;
                LOG.errorf(e, "the feed's thread died; the feed publishes nothing more (readiness is down)");
                throw e;
            }
        }, "price-feed");
        thread.start();
    }

    /**
     * Fetches the topic's metadata and the contract's schema id before the clock starts. The first
     * send would otherwise wait for both (over a second on a busy machine), and a paced replay
     * would begin with a burst of every price that fell due meanwhile.
     */
    private void warmUp(Serializer<Price> valueSerializer) {
        try {
            producer.partitionsFor(Topics.PRICES);
            valueSerializer.serialize(Topics.PRICES, Price.newBuilder().setTicker("WARMUP")
                    .setPrice(Decimals.toWire(java.math.BigDecimal.ONE)).setSize(Decimals.toWire(java.math.BigDecimal.ONE))
                    .setEventTime(Instant.EPOCH).setSequence(0).setSource("warm-up").setPublishTime(Instant.EPOCH).build());
        } catch (RuntimeException e) {
            // Not fatal: the first send asks again, and reports its own failure if it still cannot.
            LOG.warnf("could not fetch %s's metadata or schema before starting: %s", Topics.PRICES, e.getMessage());
        }
    }

    /** Publishes the file's rows, paced by {@code speed}; skipped lines are logged and counted. */
    private void replay(PriceFile file, ReplaySpeed speed) {
        try (PriceFile.Rows rows = file.rows()) {
            replay.total = file.countLines();
            long start = System.nanoTime();
            Long firstMillis = null;
            while (running && stoppedBy == null && rows.hasNext()) {
                Object item = rows.nextItem();
                if (item instanceof PriceFile.BadLine bad) {
                    replay.skipped(bad);
                    LOG.warnf("%s line %d skipped: %s", file.path().getFileName(), bad.lineNumber(), bad.reason());
                    continue;
                }
                PriceFile.Row row = (PriceFile.Row) item;
                if (firstMillis == null) {
                    firstMillis = row.timestamp().toEpochMilli();
                }
                long wait = start + speed.dueNanos(row.timestamp().toEpochMilli() - firstMillis) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // keeping the file's pace
                }
                send(row.ticker(), row.price(), row.size(), row.timestamp(), row.sequence());
                replay.rows++;
            }
            if (stoppedBy != null && rows.hasNext()) {
                replay.stoppedBy = "asked to stop by " + stoppedBy;
            }
        } catch (RuntimeException e) {
            lastError.set(e.getMessage());
            replay.stoppedBy = e.getMessage();
            LOG.errorf("replay of %s stopped: %s", file.path(), e.getMessage());
        }
        producer.flush();
        finishedAt = Instant.now();
        replay.finished = true;
        running = false;
        LOG.infof("replay of %s done: %d prices published, %d lines skipped", file.path().getFileName(), replay.rows,
                replay.skippedLines);
    }

    private void send(String ticker, java.math.BigDecimal value, java.math.BigDecimal size, Instant eventTime, long sequence) {
        Instant now = Instant.now();
        Price price = Price.newBuilder()
                .setTicker(ticker)
                .setPrice(Decimals.toWire(value))
                .setSize(Decimals.toWire(size))
                .setEventTime(eventTime)
                .setSequence(sequence)
                .setSource(source)
                .setPublishTime(now)
                .build();
        // The record's timestamp is when it was published: a replayed price from years ago keeps its
        // time in eventTime, but a record stamped with it would fall out of the topic's retention
        // (and take the orders and changelog entries it causes along) at once.
        ProducerRecord<String, Price> record = PriceRecords.traced(tracer, Topics.PRICES, now.toEpochMilli(), price);
        long pauseMillis = 500;
        while (true) {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        published.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        lastError.set(error.toString());
                        LOG.warnf("could not publish %s: %s", ticker, error);
                    }
                });
                if (waitingFor != null) {
                    LOG.infof("publishing again after waiting: %s", waitingFor);
                    waitingFor = null;
                }
                return;
            } catch (DependencyUnavailable e) {
                // The registry did not answer the price's schema: the same price is sent again once it
                // does. Skipping it would leave a hole in the ticker's sequence, and sending later
                // ones first would put them out of order.
                if (!running) {
                    throw e;
                }
                if (waitingFor == null) {
                    LOG.warnf("%s; price %s #%d waits, and the feed with it", e.getMessage(), ticker, sequence);
                }
                waitingFor = e.getMessage();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                pauseMillis = Math.min(pauseMillis * 2, 10_000);
            }
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5); // a request per 5 ms, not per price: the broker's CPU at 1 000 prices/s
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "price-feed");
        return config;
    }

    private void publish(SimulatedMarket market) {
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long start = System.nanoTime();
        long sent = 0;
        while (running && stoppedBy == null && (limit <= 0 || sent < limit)) {
            long due = start + sent * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing to the configured rate
                continue;
            }
            SimulatedMarket.Quote quote = market.next();
            send(quote.ticker(), quote.price(), quote.size(), Instant.now(), quote.sequence());
            sent++;
        }
        producer.flush();
        finishedAt = Instant.now();
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

    /** What the feed is doing, for {@code GET /feed}; {@code replay} is null unless replaying. */
    public record Status(String mode, String source, boolean running, List<String> tickers, double targetRate,
                         double actualRate, long published, long failed, String lastError, long seed,
                         Instant startedAt, ReplayStatus replay, String waitingFor, String died, String stoppedBy) {
    }

    /** A replay's progress: rows published of the file's, lines skipped (the first few with reasons), time left. */
    public record ReplayStatus(String file, String speed, long total, long rows, long skippedLines,
                               List<String> skipped, boolean finished, Double secondsLeft, String stoppedBy) {
    }

    public Status status() {
        Instant end = finishedAt == null ? Instant.now() : finishedAt;
        double seconds = startedAt == null ? 0 : java.time.Duration.between(startedAt, end).toMillis() / 1000.0;
        long done = published.get();
        double actual = seconds > 0 ? Math.round(done / seconds * 10) / 10.0 : 0;
        boolean replaying = replay != null;
        return new Status(replaying ? "replay" : "simulated", source, running, replaying ? null : tickers,
                replaying ? 0 : rate, actual, done, failed.get(), lastError.get(), seed, startedAt,
                replaying ? replay.status(actual) : null, waitingFor, died, stoppedBy);
    }

    /**
     * Stops publishing ({@code POST /feed/stop}): the price being sent is the last, the producer is
     * flushed, and then {@code running} turns false, so every price is by then acknowledged or
     * failed. A run that needs prices until its work is done, not for a fixed count (chaos), ends
     * the feed this way. Idempotent: the first caller is kept.
     */
    public Status stop(String who) {
        if (stoppedBy == null) {
            stoppedBy = who;
            LOG.infof("feed asked to stop by %s", who);
        }
        return status();
    }

    /** Why the feed cannot publish now (waiting for a dependency, or its thread died), or empty. */
    public Optional<String> notReady() {
        if (died != null) {
            return Optional.of("the feed's thread died: " + died + "; restart price-feed");
        }
        return Optional.ofNullable(waitingFor).map(what -> "waiting: " + what);
    }

    /** Mutable progress of the one replay this feed runs (written by the feed thread, read by HTTP). */
    private static final class ReplayProgress {
        private final String file;
        private final String speed;
        private final List<String> firstSkipped = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile long total;
        private volatile long rows;
        private volatile long skippedLines;
        private volatile boolean finished;
        /** Why the replay ended before the end of the file, or null. */
        private volatile String stoppedBy;

        ReplayProgress(String file, String speed) {
            this.file = file;
            this.speed = speed;
        }

        void skipped(PriceFile.BadLine bad) {
            skippedLines++;
            if (firstSkipped.size() < 20) {
                firstSkipped.add("line " + bad.lineNumber() + ": " + bad.reason());
            }
        }

        ReplayStatus status(double ratePerSecond) {
            long remaining = Math.max(0, total - rows - skippedLines);
            Double left = finished ? Double.valueOf(0) : ratePerSecond > 0 ? Double.valueOf(Math.round(remaining / ratePerSecond)) : null;
            return new ReplayStatus(file, speed, total, rows, skippedLines, List.copyOf(firstSkipped), finished, left, stoppedBy);
        }
    }
}
