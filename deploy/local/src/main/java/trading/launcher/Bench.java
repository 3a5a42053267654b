package trading.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import trading.feed.SimulatedMarket;
import trading.launcher.StackConfig.Service;
import trading.schema.Decimals;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.RegistrySerdes;
import trading.strategy.StrategyDefinition;
import trading.strategy.abc.SmaCrossover;
import trading.strategy.streams.StrategyTopology;
import trading.strategy.xyz.WilderRsi;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * {@code ./pipeline bench}: every figure beside a baseline measured in the same run on the same
 * broker, each repeated, printed as min / median / max and written as JSON.
 * <ol>
 * <li>Strategy throughput: each strategy's production topology (exactly-once) over a preloaded
 * topic, beside a bare exactly-once {@code groupByKey().count()} over the same topic.</li>
 * <li>Tick-to-order latency at a fixed rate: price publication to the order being readable
 * ({@code read_committed}) on {@code orders}, and to its fill on {@code executions}, beside a
 * bare producer→consumer hop at the same rate.</li>
 * <li>Pipeline throughput: the highest rate at which both strategies and order-execution keep up
 * (lag not growing over the window), beside the bare topology's throughput.</li>
 * </ol>
 */
final class Bench {

    static final String BENCH_PRICES = "bench.prices";
    static final String BENCH_ORDERS = "bench.orders";
    static final String BENCH_DLQ = "bench.prices.dlq";
    static final String BENCH_HOP = "bench.hop";

    /** What to measure and how long. */
    record Settings(long prices, int tickers, int repeats, int windowSeconds, int latencyRate, List<Integer> rates,
                    Path out) {
        static Settings defaults(Path out) {
            return new Settings(1_000_000, 1_000, 3, 30, 5_000, List.of(2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 16_000), out);
        }

        static Settings quick(Path out) {
            return new Settings(200_000, 1_000, 3, 10, 2_000, List.of(1_000, 2_000, 4_000), out);
        }
    }

    /** One measured figure: its repeats and the summary of them. */
    record Figure(String name, String unit, List<Double> values, Double min, Double median, Double max) {
        static Figure of(String name, String unit, List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
                return new Figure(name, unit, values, null, null, null);
            }
            return new Figure(name, unit, values, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
        }
    }

    /** A target: the pipeline's median over the baseline's median, and the least it must be (or most). */
    record Ratio(String name, String figure, String baseline, double ratio, String target, boolean met) {
    }

    record ProcessUse(String process, double cpuPercent, long residentMib) {
    }

    record Result(Map<String, Object> machine, Map<String, Object> settings, List<Figure> figures, List<Ratio> ratios,
                  List<ProcessUse> processes, Integer sustainedRate) {
    }

    private final StackConfig config;
    private final Settings settings;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final List<Figure> figures = new ArrayList<>();
    private final List<ProcessUse> processUse = new ArrayList<>();

    Bench(StackConfig config, Settings settings, PrintStream out) {
        this.config = config;
        this.settings = settings;
        this.out = out;
    }

    static int run(PipelineCli.Options options, boolean quick, PrintStream out) {
        Path file = options.out();
        Settings settings = quick ? Settings.quick(file) : Settings.defaults(file);
        StackConfig base = options.stack();
        // the bench publishes its own prices: the feed publishes one and stops
        StackConfig config = new StackConfig(base.home(), base.runDir().resolveSibling(".pipeline-bench"), false,
                base.portOffset(), 1, 1, base.feedSeed(), base.javaOptions(), Map.of("feed.limit", "1"));
        Result result = new Bench(config, settings, out).run();
        print(result, out);
        if (file != null) {
            try {
                Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
                out.println("Written to " + file.toAbsolutePath());
            } catch (IOException e) {
                throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }

    Result run() {
        try (Stack stack = new Stack(config, out)) {
            stack.startInfrastructure();
            createTopics();
            preload();
            List<Double> bare = new ArrayList<>();
            List<Double> abc = new ArrayList<>();
            List<Double> xyz = new ArrayList<>();
            for (int r = 1; r <= settings.repeats(); r++) {
                bare.add(streamsThroughput("bare count, run " + r, bareCount()));
                abc.add(streamsThroughput("strategy-abc, run " + r, strategy(new StrategyDefinition<>(new SmaCrossover(5, 20), new BigDecimal("100")))));
                xyz.add(streamsThroughput("strategy-xyz, run " + r, strategy(new StrategyDefinition<>(
                        new WilderRsi(14, new BigDecimal("30"), new BigDecimal("70")), new BigDecimal("100")))));
            }
            figures.add(Figure.of("bare groupByKey().count() throughput", "records/s", bare));
            figures.add(Figure.of("strategy-abc throughput", "records/s", abc));
            figures.add(Figure.of("strategy-xyz throughput", "records/s", xyz));

            List<Double> hopP50 = new ArrayList<>();
            List<Double> hopP99 = new ArrayList<>();
            List<Double> hopP999 = new ArrayList<>();
            for (int r = 1; r <= settings.repeats(); r++) {
                double[] hop = hopLatency(r);
                hopP50.add(hop[0]);
                hopP99.add(hop[1]);
                hopP999.add(hop[2]);
            }
            figures.add(Figure.of("bare producer→consumer hop p50", "ms", hopP50));
            figures.add(Figure.of("bare producer→consumer hop p99", "ms", hopP99));
            figures.add(Figure.of("bare producer→consumer hop p99.9", "ms", hopP999));

            stack.startServices();
            PriceSource source = new PriceSource();
            step("warming up the pipeline for %d s at %,d prices/s", settings.windowSeconds(), settings.latencyRate());
            publish(source, settings.latencyRate(), settings.windowSeconds(), null);
            List<List<Double>> orderLatency = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<List<Double>> fillLatency = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int r = 1; r <= settings.repeats(); r++) {
                double[][] latency = pipelineLatency(stack, source, r);
                for (int q = 0; q < 3; q++) {
                    orderLatency.get(q).add(latency[0][q]);
                    fillLatency.get(q).add(latency[1][q]);
                }
            }
            String[] quantiles = {"p50", "p99", "p99.9"};
            for (int q = 0; q < 3; q++) {
                figures.add(Figure.of("price → order readable " + quantiles[q], "ms", orderLatency.get(q)));
            }
            for (int q = 0; q < 3; q++) {
                figures.add(Figure.of("price → fill on executions " + quantiles[q], "ms", fillLatency.get(q)));
            }
            Integer sustained = sustainedRate(stack, source);
            if (sustained != null) {
                figures.add(Figure.of("pipeline sustained rate", "prices/s", List.of((double) sustained)));
            }

            List<Ratio> ratios = new ArrayList<>();
            double bareMedian = find("bare groupByKey().count() throughput").median();
            for (String strategy : List.of("strategy-abc", "strategy-xyz")) {
                double ratio = find(strategy + " throughput").median() / bareMedian;
                ratios.add(new Ratio(strategy + " throughput / bare count", strategy + " throughput",
                        "bare groupByKey().count() throughput", round(ratio), "≥ 0.8", ratio >= 0.8));
            }
            double p99Ratio = find("price → order readable p99").median() / find("bare producer→consumer hop p99").median();
            ratios.add(new Ratio("tick-to-order p99 / bare hop p99", "price → order readable p99",
                    "bare producer→consumer hop p99", round(p99Ratio), "≤ 3", p99Ratio <= 3));
            double pipelineRatio = (sustained == null ? 0 : sustained) / bareMedian;
            ratios.add(new Ratio("pipeline sustained rate / bare count", "pipeline sustained rate",
                    "bare groupByKey().count() throughput", round(pipelineRatio), "≥ 0.4", pipelineRatio >= 0.4));
            return new Result(machine(), settingsMap(), figures, ratios, processUse, sustained);
        }
    }

    // ---- 1. throughput of a Streams topology over the preloaded topic --------------------------

    private void createTopics() {
        try (Admin admin = admin()) {
            List<NewTopic> topics = List.of(new NewTopic(BENCH_PRICES, 12, (short) 1), new NewTopic(BENCH_ORDERS, 12, (short) 1),
                    new NewTopic(BENCH_DLQ, 1, (short) 1), new NewTopic(BENCH_HOP, 12, (short) 1));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("cannot create the bench topics: " + e.getMessage(), e);
        }
    }

    private void preload() {
        step("preloading %,d prices over %,d tickers into %s", settings.prices(), settings.tickers(), BENCH_PRICES);
        PriceSource source = new PriceSource();
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> lastError = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, Price> producer = priceProducer(20)) {
            long sent = 0;
            long lastReport = System.nanoTime();
            while (sent < settings.prices()) {
                Price price = source.next("bench-preload");
                producer.send(new ProducerRecord<>(BENCH_PRICES, price.getTicker(), price), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        lastError.set(error.toString());
                    }
                });
                sent++;
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    step("  %,d of %,d", sent, settings.prices());
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            step("  %,d of the preloaded prices were not written (%s); the figures use what the topic holds",
                    failed.get(), lastError.get());
        }
    }

    private Topology bareCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(BENCH_PRICES, Consumed.with(Serdes.String(), Serdes.ByteArray())).groupByKey().count();
        return builder.build();
    }

    private <I> Topology strategy(StrategyDefinition<I> definition) {
        return StrategyTopology.build(definition, RegistrySerdes.valueSerde(config.registryUrl()),
                RegistrySerdes.valueSerde(config.registryUrl()), Clock.systemUTC(), new SimpleMeterRegistry(),
                BENCH_PRICES, BENCH_ORDERS, BENCH_DLQ);
    }

    /** Records/s from the application's start until its committed offsets reach the end of the topic. */
    private double streamsThroughput(String what, Topology topology) {
        String applicationId = "bench-" + UUID.randomUUID();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // the services' own settings (strategy-abc/xyz application.properties)
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory(config.runDir(), "bench-state");
        } catch (IOException e) {
            throw new StackException("cannot create a state directory: " + e.getMessage(), e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        long end;
        try (Admin admin = admin()) {
            end = endOffsets(admin, BENCH_PRICES);
            long started = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(topology, props)) {
                streams.start();
                long lastReport = started;
                while (committed(admin, applicationId, BENCH_PRICES) < end) {
                    if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                        throw new StackException(what + ": Kafka Streams stopped (" + streams.state() + ")");
                    }
                    LockSupport.parkNanos(100_000_000L); // polling the committed offsets
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        step("  %s: %,d of %,d", what, committed(admin, applicationId, BENCH_PRICES), end);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double rate = end / seconds;
                step("%s: %,d records in %.1f s, %,.0f records/s", what, end, seconds, rate);
                streams.close(Duration.ofSeconds(30));
                return rate;
            }
        }
    }

    // ---- 2. latency ----------------------------------------------------------------------------

    /** A bare hop: a producer at the latency rate, a read_committed consumer, creation to read. */
    private double[] hopLatency(int run) {
        List<Long> micros = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<Long, byte[]> consumer = new KafkaConsumer<>(consumerProps("bench-hop-" + UUID.randomUUID(), "latest"),
                    new LongDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(BENCH_HOP));
                while (!done.get()) {
                    for (ConsumerRecord<Long, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        micros.add(nowMicros() - record.key());
                    }
                }
            }
        }, "bench-hop-reader");
        reader.start();
        LockSupport.parkNanos(3_000_000_000L); // the reader joins its group before anything is sent
        Map<String, Object> producerProps = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0));
        try (KafkaProducer<Long, byte[]> producer = new KafkaProducer<>(producerProps, new LongSerializer(), new ByteArraySerializer())) {
            byte[] payload = new byte[80];
            paced(settings.latencyRate(), settings.windowSeconds(), i -> producer.send(new ProducerRecord<>(BENCH_HOP,
                    (int) (i % 12), nowMicros(), payload)));
            producer.flush();
        }
        LockSupport.parkNanos(2_000_000_000L); // the last records are read
        done.set(true);
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double[] q = quantiles(micros);
        step("bare hop, run %d: %,d records at %,d/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", run, micros.size(),
                settings.latencyRate(), q[0], q[1], q[2]);
        return q;
    }

    /** Prices at the latency rate into {@code prices}; orders and fills traced back to them by publish time. */
    private double[][] pipelineLatency(Stack stack, PriceSource source, int run) {
        String tag = "bench-latency-" + run;
        List<Long> toOrder = new ArrayList<>();
        List<Long> toFill = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            var orders = RegistrySerdes.<Order>valueSerde(config.registryUrl()).deserializer();
            var reports = RegistrySerdes.<ExecutionReport>valueSerde(config.registryUrl()).deserializer();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps("bench-latency-" + UUID.randomUUID(), "latest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topics.ORDERS, Topics.EXECUTIONS));
                while (!done.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = nowMicros();
                        if (record.topic().equals(Topics.ORDERS)) {
                            Order order = orders.deserialize(record.topic(), record.headers(), record.value());
                            if (order.getPriceSource().equals(tag)) {
                                toOrder.add(now - micros(order.getPricePublishTime()));
                            }
                        } else {
                            ExecutionReport report = reports.deserialize(record.topic(), record.headers(), record.value());
                            if (report.getStatus() == ExecutionStatus.FILLED && report.getPricePublishTime() != null
                                    && micros(report.getPricePublishTime()) >= source.windowStartMicros) {
                                toFill.add(now - micros(report.getPricePublishTime()));
                            }
                        }
                    }
                }
            }
        }, "bench-latency-reader");
        reader.start();
        LockSupport.parkNanos(3_000_000_000L);
        Map<String, long[]> before = cpuTimes(stack);
        long windowStart = System.nanoTime();
        source.windowStartMicros = nowMicros();
        publish(source, settings.latencyRate(), settings.windowSeconds(), tag);
        recordProcessUse(stack, before, System.nanoTime() - windowStart, run == settings.repeats());
        LockSupport.parkNanos(3_000_000_000L); // orders of the last prices become readable
        done.set(true);
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double[] order = quantiles(toOrder);
        double[] fill = quantiles(toFill);
        step("pipeline latency, run %d at %,d prices/s: %,d orders, to order p50 %.1f / p99 %.1f / p99.9 %.1f ms;"
                        + " %,d fills, to fill p50 %.1f / p99 %.1f / p99.9 %.1f ms", run, settings.latencyRate(), toOrder.size(),
                order[0], order[1], order[2], toFill.size(), fill[0], fill[1], fill[2]);
        return new double[][]{order, fill};
    }

    // ---- 3. the highest rate the pipeline keeps up with ------------------------------------------

    private Integer sustainedRate(Stack stack, PriceSource source) {
        Integer best = null;
        List<String> groups = List.of("trading-strategy.abc", "trading-strategy.xyz", "order-execution");
        try (Admin admin = admin()) {
            for (int rate : settings.rates()) {
                Thread feeder = new Thread(() -> publish(source, rate, settings.windowSeconds() + 10, "bench-rate-" + rate));
                feeder.start();
                LockSupport.parkNanos(10_000_000_000L); // settle at the new rate before measuring
                long lagStart = totalLag(admin, groups);
                long started = System.nanoTime();
                try {
                    feeder.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                long lagEnd = totalLag(admin, groups);
                double seconds = (System.nanoTime() - started) / 1e9;
                double growth = (lagEnd - lagStart) / seconds;
                // keeping up: the backlog grows by less than 2% of the rate (commit batching jitters it)
                boolean keepsUp = growth < rate * 0.02 && source.lastRate >= rate * 0.95;
                step("pipeline at %,d prices/s (published %,.0f/s): lag %,d → %,d over %.0f s, %s", rate, source.lastRate,
                        lagStart, lagEnd, seconds, keepsUp ? "keeps up" : "falls behind");
                if (!keepsUp) {
                    break;
                }
                best = rate;
                awaitDrained(admin, groups);
            }
        }
        return best;
    }

    private void awaitDrained(Admin admin, List<String> groups) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (totalLag(admin, groups) > 1000 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(500_000_000L); // polling the lag
        }
    }

    private static long totalLag(Admin admin, List<String> groups) {
        long total = 0;
        for (String group : groups) {
            total += Chaos.lag(admin, group, new HashMap<>());
        }
        return total;
    }

    // ---- prices, pacing, measuring -------------------------------------------------------------

    /** Simulated prices over the bench's tickers, with a per-ticker sequence that keeps rising across phases. */
    private final class PriceSource {
        private final SimulatedMarket market;
        volatile long windowStartMicros;
        volatile double lastRate;

        PriceSource() {
            List<String> tickers = new ArrayList<>();
            for (int i = 1; i <= settings.tickers(); i++) {
                tickers.add(String.format("B%04d", i));
            }
            market = new SimulatedMarket(tickers, config.feedSeed(), 0.002);
        }

        synchronized Price next(String sourceName) {
            SimulatedMarket.Quote quote = market.next();
            return Price.newBuilder().setTicker(quote.ticker()).setPrice(Decimals.toWire(quote.price()))
                    .setSize(Decimals.toWire(quote.size())).setEventTime(Instant.now()).setSequence(quote.sequence())
                    .setSource(sourceName).setPublishTime(Instant.now()).build();
        }
    }

    /** Publishes at {@code rate} for {@code seconds}; the source name lets the reader pick these prices. */
    private void publish(PriceSource source, int rate, int seconds, String tag) {
        String name = tag == null ? "bench-warmup" : tag;
        try (KafkaProducer<String, Price> producer = priceProducer(0)) {
            long started = System.nanoTime();
            long sent = paced(rate, seconds, i -> {
                Price price = source.next(name);
                producer.send(new ProducerRecord<>(Topics.PRICES, price.getTicker(), price));
            });
            producer.flush();
            source.lastRate = sent / ((System.nanoTime() - started) / 1e9);
        }
    }

    /** Calls {@code send} {@code rate} times a second for {@code seconds}, evenly; returns how many were sent. */
    private static long paced(int rate, int seconds, java.util.function.LongConsumer send) {
        long total = (long) rate * seconds;
        long started = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (long i = 0; i < total; i++) {
            long due = started + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing to the rate, not waiting for a condition
            }
            send.accept(i);
        }
        return total;
    }

    private KafkaProducer<String, Price> priceProducer(int lingerMs) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), RegistrySerdes.<Price>valueSerde(config.registryUrl()).serializer());
    }

    private Map<String, Object> consumerProps(String group, String reset) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
    }

    private static long endOffsets(Admin admin, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new StackException("cannot read the end of " + topic + ": " + e.getMessage(), e);
        }
    }

    private static long committed(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static double[] quantiles(List<Long> micros) {
        if (micros.isEmpty()) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[]{at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999)};
    }

    private static double at(long[] sorted, double q) {
        int index = Math.max(0, (int) Math.ceil(q * sorted.length) - 1);
        return Math.round(sorted[index] / 10.0) / 100.0;
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private Map<String, long[]> cpuTimes(Stack stack) {
        Map<String, long[]> times = new LinkedHashMap<>();
        for (ManagedProcess process : stack.processes()) {
            times.put(process.name(), new long[]{cpuTicks(process.pid())});
        }
        times.put("bench (this process)", new long[]{cpuTicks(ProcessHandle.current().pid())});
        return times;
    }

    private void recordProcessUse(Stack stack, Map<String, long[]> before, long elapsedNanos, boolean keep) {
        if (!keep) {
            return;
        }
        double ticksPerSecond = 100; // USER_HZ on Linux
        for (ManagedProcess process : stack.processes()) {
            long[] start = before.get(process.name());
            if (start != null) {
                double cpu = (cpuTicks(process.pid()) - start[0]) / ticksPerSecond / (elapsedNanos / 1e9) * 100;
                processUse.add(new ProcessUse(process.name(), round(cpu), process.residentMib()));
            }
        }
        long[] self = before.get("bench (this process)");
        double cpu = (cpuTicks(ProcessHandle.current().pid()) - self[0]) / ticksPerSecond / (elapsedNanos / 1e9) * 100;
        processUse.add(new ProcessUse("bench (load generator and reader)", round(cpu),
                Runtime.getRuntime().totalMemory() / (1024 * 1024)));
    }

    /** utime + stime of a process, in clock ticks, from /proc. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private Figure find(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no figure " + name));
    }

    private Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        try {
            String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "");
            machine.put("memoryMiB", Long.parseLong(total) / 1024);
        } catch (IOException | RuntimeException e) {
            machine.put("memoryMiB", null);
        }
        machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("at", Instant.now().toString());
        return machine;
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("preloadedPrices", settings.prices());
        map.put("tickers", settings.tickers());
        map.put("repeats", settings.repeats());
        map.put("windowSeconds", settings.windowSeconds());
        map.put("latencyRate", settings.latencyRate());
        map.put("ratesTried", settings.rates());
        map.put("pipeline", "processing.guarantee=exactly_once_v2, commit.interval.ms=100 (an order is readable by"
                + " read_committed consumers only after its transaction commits: the interval bounds that wait),"
                + " producer linger.ms=0 (no batching delay on the critical path), state stores cached"
                + " (the cache holds changelog writes, not output: orders are forwarded at once)");
        return map;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private void step(String format, Object... args) {
        out.printf("[%6.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    }

    static void print(Result result, PrintStream out) {
        out.println();
        out.println("Machine: " + result.machine());
        out.println();
        out.printf("%-40s %-10s %12s %12s %12s   %s%n", "figure", "unit", "min", "median", "max", "runs");
        for (Figure figure : result.figures()) {
            out.printf("%-40s %-10s %12s %12s %12s   %s%n", figure.name(), figure.unit(), fmt(figure.min()),
                    fmt(figure.median()), fmt(figure.max()), figure.values().stream().map(Bench::fmt).toList());
        }
        out.println();
        for (Ratio ratio : result.ratios()) {
            out.printf("%-45s %6.2f   target %-6s %s%n", ratio.name(), ratio.ratio(), ratio.target(), ratio.met() ? "met" : "NOT MET");
        }
        out.println();
        out.println("CPU and memory during the last latency window:");
        for (ProcessUse use : result.processes()) {
            out.printf("  %-36s %6.1f %% CPU  %6d MiB%n", use.process(), use.cpuPercent(), use.residentMib());
        }
    }

    private static String fmt(Double value) {
        if (value == null || value.isNaN()) {
            return "-";
        }
        return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }
}
