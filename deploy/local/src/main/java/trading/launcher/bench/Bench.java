package trading.launcher.bench;

import trading.launcher.PipelineCli;
import trading.launcher.chaos.CatchUp;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.Profiles;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import trading.launcher.stack.StackConfig.Service;
import trading.schema.Decimals;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.Topics;
import trading.schema.kafka.PriceRecords;
import trading.schema.kafka.RegistrySerdes;
import trading.strategy.StrategyDefinition;
import trading.strategy.streams.Processing;
import trading.strategy.streams.StrategyTopology;
import trading.launcher.catalog.StrategyRules;
import trading.launcher.stack.StackConfig.Service;

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
 * <li>Strategy throughput and CPU per price: each strategy's production topology (exactly-once,
 * the services' own Kafka Streams settings) over a preloaded topic, beside a bare exactly-once
 * {@code groupByKey().count()} over the same topic, timed from the moment each application runs.</li>
 * <li>Latency baselines at each rate: a bare producer→consumer hop, and a bare exactly-once
 * pass-through topology ({@code mapValues}) with the services' commit interval.</li>
 * <li>With {@code --sweep}: for each {@code commit.interval.ms} of {@link Settings#sweep}, the
 * strategy's throughput and CPU per price, its price→order latency on a live topic, and the
 * bare pass-through's latency.</li>
 * <li>The running pipeline at each rate: price → order readable ({@code read_committed}) and
 * price → fill, and the CPU every process spends per price.</li>
 * <li>Sustained rate: rates doubled until the pipeline falls behind, then bisected, so that the
 * figure is a measured ceiling, not the highest rate tried.</li>
 * </ol>
 */
public final class Bench {


    /** The consumer groups whose lag says whether the pipeline keeps up: every strategy's and order-execution's. */
    private List<String> pipelineGroups() {
        List<String> groups = new ArrayList<>(config.strategies().stream().map(s -> s.strategy().applicationId()).toList());
        groups.add("order-execution");
        return groups;
    }

    static final String BENCH_PRICES = "bench.prices";
    static final String BENCH_ORDERS = "bench.orders";
    static final String BENCH_DLQ = "bench.prices.dlq";
    static final String BENCH_HOP = "bench.hop";
    static final String BENCH_PASS_IN = "bench.pass.in";
    static final String BENCH_PASS_OUT = "bench.pass.out";
    static final String BENCH_LIVE_PRICES = "bench.live.prices";
    static final String BENCH_LIVE_ORDERS = "bench.live.orders";

    /** What to measure and how long. */
    record Settings(long prices, int tickers, int repeats, int windowSeconds, int warmupSeconds, List<Integer> latencyRates,
                    int ladderStart, int ladderWindowSeconds, List<Integer> sweep, Path out, Path profile) {
        static Settings defaults(Path out, boolean sweep, Path profile) {
            return new Settings(2_000_000, 1_000, 3, 30, 60, List.of(1_000, 5_000), 2_000, 30,
                    sweep ? List.of(10, 20, 50, 100) : List.of(), out, profile);
        }

        static Settings quick(Path out, boolean sweep, Path profile) {
            return new Settings(500_000, 1_000, 3, 10, 30, List.of(1_000, 5_000), 2_000, 15,
                    sweep ? List.of(10, 20, 50, 100) : List.of(), out, profile);
        }
    }

    /** One measured figure: its repeats and the summary of them. */
    record Figure(String name, String unit, List<Double> values, Double min, Double median, Double max) {
        static Figure of(String name, String unit, List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (sorted.length == 0) {
                return new Figure(name, unit, values, null, null, null);
            }
            return new Figure(name, unit, values, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
        }
    }

    /** A target: the pipeline's median over the baseline's median, and the least it must be (or most). */
    record Ratio(String name, String figure, String baseline, double ratio, String target, boolean met) {
    }

    /** A process during a window at a fixed rate: share of one core, and CPU time per price published. */
    record ProcessUse(int rate, String process, double cpuPercent, double cpuMicrosPerPrice, long residentMib) {
    }

    /** One line of the commit-interval sweep. */
    record SweepRow(int commitIntervalMs, double strategyThroughput, double strategyCpuMicrosPerPrice,
                    double[] strategyLatencyMs, double[] passThroughLatencyMs) {
    }

    /** A step of the sustained-rate search. */
    record LadderStep(int rate, double published, long lagBefore, long lagAfter, boolean keepsUp) {
    }

    record Result(Map<String, Object> machine, Map<String, Object> settings, List<Figure> figures, List<Ratio> ratios,
                  List<ProcessUse> processes, List<SweepRow> sweep, List<LadderStep> ladder, Integer sustainedRate) {
    }

    /** What a run of a Streams application over the preloaded topic gave. */
    private record Throughput(double recordsPerSecond, double cpuMicrosPerRecord) {
    }

    private final StackConfig config;
    private final Settings settings;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final List<Figure> figures = new ArrayList<>();
    private final List<ProcessUse> processUse = new ArrayList<>();
    private final List<SweepRow> sweep = new ArrayList<>();
    private final List<LadderStep> ladder = new ArrayList<>();
    private final Map<String, String> serviceStreamsSettings;

    Bench(StackConfig config, Settings settings, PrintStream out) {
        this.config = config;
        this.settings = settings;
        this.out = out;
        this.serviceStreamsSettings = serviceStreamsSettings(config.home());
    }

    public static int run(PipelineCli.Options options, boolean quick, boolean sweep, PrintStream out) {
        Path file = options.out();
        Settings settings = quick ? Settings.quick(file, sweep, options.profile()) : Settings.defaults(file, sweep, options.profile());
        StackConfig base = options.stack();
        List<String> javaOptions = new ArrayList<>(base.javaOptions());
        if (settings.profile() != null) {
            javaOptions.add(Profiles.serviceOption(settings.profile()));
        }
        // the bench publishes its own prices: the feed publishes one and stops
        StackConfig config = new StackConfig(base.home(), base.runDir().resolveSibling(".pipeline-bench"), false,
                base.portOffset(), 1, 1, base.feedSeed(), javaOptions, Map.of("feed.limit", "1")).withSecure(base.secure()).withBrokers(base.brokers());
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
        if (settings.profile() != null) {
            out.println("Flight recordings in " + settings.profile().toAbsolutePath()
                    + " (open them with JDK Mission Control, or: jfr view hot-methods FILE)");
        }
        return 0;
    }

    public Result run() {
        try (Stack stack = new Stack(config, out)) {
            stack.startInfrastructure();
            createTopics();
            preload();
            int commitInterval = Integer.parseInt(serviceStreamsSettings.getOrDefault("commit.interval.ms", "100"));
            // every strategy of the catalog with the values its live service runs
            StrategyRules rules = new StrategyRules(config.home());
            Map<String, StrategyDefinition<Object>> strategies = new LinkedHashMap<>();
            // (the JVM strategies: their topology runs in this process; an external one's cost is its
            // process's CPU per price in the live stack below)
            config.strategies().stream().filter(s -> !s.strategy().external())
                    .forEach(s -> strategies.put(s.name(), rules.definition(s.strategy())));
            StrategyDefinition<Object> first = strategies.values().iterator().next();

            // 1. throughput and CPU per record over the preloaded topic
            Map<String, List<Throughput>> runs = new LinkedHashMap<>();
            try (Profiles.InProcess recording = Profiles.inProcess(settings.profile(), "bench-throughput")) {
                // one untimed pass of each, so that no figure includes this JVM compiling the code
                streamsThroughput("warm-up: bare count", bareCount(), commitInterval);
                strategies.forEach((name, strategy) ->
                        streamsThroughput("warm-up: " + name, strategy(strategy, BENCH_PRICES, BENCH_ORDERS), commitInterval));
                for (int r = 1; r <= settings.repeats(); r++) {
                    runs.computeIfAbsent("bare count", k -> new ArrayList<>()).add(streamsThroughput("bare count, run " + r, bareCount(), commitInterval));
                    for (Map.Entry<String, StrategyDefinition<Object>> strategy : strategies.entrySet()) {
                        runs.computeIfAbsent(strategy.getKey(), k -> new ArrayList<>()).add(streamsThroughput(
                                strategy.getKey() + ", run " + r, strategy(strategy.getValue(), BENCH_PRICES, BENCH_ORDERS),
                                commitInterval));
                    }
                }
            }
            runs.forEach((name, list) -> {
                String label = name.equals("bare count") ? "bare groupByKey().count()" : name;
                figures.add(Figure.of(label + " throughput", "records/s", list.stream().map(Throughput::recordsPerSecond).toList()));
                figures.add(Figure.of(label + " CPU per record", "µs", list.stream().map(Throughput::cpuMicrosPerRecord).toList()));
            });

            // 2. latency baselines at each rate, before the services run
            for (int rate : settings.latencyRates()) {
                addQuantiles("bare producer→consumer hop at " + rate + "/s", repeat(run -> hopLatency(rate, run)));
                addQuantiles("bare Streams pass-through at " + rate + "/s", repeat(run -> passThroughLatency(rate, commitInterval, run)));
            }

            // 3. commit interval sweep (in this process: the services keep their settings)
            for (int interval : settings.sweep()) {
                Throughput throughput = streamsThroughput("sweep: " + first.name() + ", commit.interval.ms=" + interval,
                        strategy(first, BENCH_PRICES, BENCH_ORDERS), interval);
                double[] strategyLatency = liveStrategyLatency(first, max(settings.latencyRates()), interval);
                double[] passLatency = passThroughLatency(max(settings.latencyRates()), interval, 0);
                sweep.add(new SweepRow(interval, round(throughput.recordsPerSecond()), round(throughput.cpuMicrosPerRecord()),
                        strategyLatency, passLatency));
            }

            // 4. the running pipeline at each rate
            stack.startServices();
            PriceSource source = new PriceSource();
            // long enough for the services' JIT to settle: its compilations would be counted as their CPU
            step("warming up the pipeline for %d s at %,d prices/s", settings.warmupSeconds(), max(settings.latencyRates()));
            publish(source, Topics.PRICES, max(settings.latencyRates()), settings.warmupSeconds(), null);
            for (int rate : settings.latencyRates()) {
                List<double[]> toOrder = new ArrayList<>();
                List<double[]> toFill = new ArrayList<>();
                for (int r = 1; r <= settings.repeats(); r++) {
                    double[][] latency = pipelineLatency(stack, source, rate, r);
                    toOrder.add(latency[0]);
                    toFill.add(latency[1]);
                }
                addQuantiles("price → order readable at " + rate + "/s", toOrder);
                addQuantiles("price → fill on executions at " + rate + "/s", toFill);
            }

            // 5. the highest rate the pipeline keeps up with
            Integer sustained = sustainedRate(source);
            if (sustained != null) {
                figures.add(Figure.of("pipeline sustained rate", "prices/s", List.of((double) sustained)));
            }
            return new Result(machine(), settingsMap(commitInterval), figures, ratios(sustained), processUse, sweep,
                    ladder, sustained);
        }
    }

    private List<Ratio> ratios(Integer sustained) {
        List<Ratio> ratios = new ArrayList<>();
        double bareMedian = find("bare groupByKey().count() throughput").median();
        double bareCpu = find("bare groupByKey().count() CPU per record").median();
        for (Service service : config.strategies()) {
            if (service.strategy().external()) {
                continue;
            }
            String strategy = service.name();
            double ratio = find(strategy + " throughput").median() / bareMedian;
            ratios.add(new Ratio(strategy + " throughput / bare count", strategy + " throughput",
                    "bare groupByKey().count() throughput", round(ratio), "≥ 0.8", ratio >= 0.8));
            double cpu = find(strategy + " CPU per record").median() / bareCpu;
            ratios.add(new Ratio(strategy + " CPU per price / bare count", strategy + " CPU per record",
                    "bare groupByKey().count() CPU per record", round(cpu), "≤ 1.5", cpu <= 1.5));
        }
        for (int rate : settings.latencyRates()) {
            String order = "price → order readable at " + rate + "/s p99";
            String pass = "bare Streams pass-through at " + rate + "/s p99";
            String hop = "bare producer→consumer hop at " + rate + "/s p99";
            double vsPass = find(order).median() / find(pass).median();
            ratios.add(new Ratio("tick-to-order p99 / Streams pass-through p99 at " + rate + "/s", order, pass,
                    round(vsPass), "≤ 1.5", vsPass <= 1.5));
            double vsHop = find(order).median() / find(hop).median();
            ratios.add(new Ratio("tick-to-order p99 / bare hop p99 at " + rate + "/s", order, hop,
                    round(vsHop), "≤ 5", vsHop <= 5));
        }
        double pipelineRatio = (sustained == null ? 0 : sustained) / bareMedian;
        ratios.add(new Ratio("pipeline sustained rate / bare count", "pipeline sustained rate",
                "bare groupByKey().count() throughput", round(pipelineRatio), "≥ 0.4", pipelineRatio >= 0.4));
        return ratios;
    }

    private List<double[]> repeat(java.util.function.IntFunction<double[]> measure) {
        List<double[]> results = new ArrayList<>();
        for (int r = 1; r <= settings.repeats(); r++) {
            results.add(measure.apply(r));
        }
        return results;
    }

    private void addQuantiles(String name, List<double[]> runs) {
        String[] quantiles = {"p50", "p99", "p99.9"};
        for (int q = 0; q < 3; q++) {
            int index = q;
            figures.add(Figure.of(name + " " + quantiles[q], "ms", runs.stream().map(r -> r[index]).toList()));
        }
    }

    private static int max(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    // ---- 1. throughput of a Streams topology over the preloaded topic --------------------------

    private void createTopics() {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : List.of(BENCH_PRICES, BENCH_ORDERS, BENCH_HOP, BENCH_PASS_IN, BENCH_PASS_OUT,
                    BENCH_LIVE_PRICES, BENCH_LIVE_ORDERS)) {
                topics.add(new NewTopic(topic, 12, (short) config.replicationFactor()));
            }
            topics.add(new NewTopic(BENCH_DLQ, 1, (short) config.replicationFactor()));
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
                producer.send(PriceRecords.traced(BENCH_TRACER, BENCH_PRICES, null, price), (metadata, error) -> {
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

    /**
     * Spans as the services make them by default (sampler ratio 0: ids and headers, nothing
     * recorded), so every run pays what tracing costs the feed and a strategy.
     */
    private static final io.opentelemetry.api.trace.Tracer BENCH_TRACER =
            io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                    .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(
                            io.opentelemetry.sdk.trace.samplers.Sampler.traceIdRatioBased(0)))
                    .build().get("bench");

    private Topology bareCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(BENCH_PRICES, Consumed.with(Serdes.String(), Serdes.ByteArray())).groupByKey().count();
        return builder.build();
    }

    private <I> Topology strategy(StrategyDefinition<I> definition, String prices, String orders) {
        return StrategyTopology.build(definition, processing(), RegistrySerdes.valueSerde(config.registryUrl()),
                RegistrySerdes.valueSerde(config.registryUrl()), Clock.systemUTC(), new SimpleMeterRegistry(),
                BENCH_TRACER, prices, orders, BENCH_DLQ);
    }

    /**
     * The Kafka Streams settings of the strategy services (their {@code kafka-streams.*} properties,
     * with the expressions of the default {@code strategy.processing} resolved).
     */
    static Map<String, String> serviceStreamsSettings(Path home) {
        Properties properties = new Properties();
        Path file = home.resolve("strategy-support/src/main/resources/META-INF/microprofile-config.properties");
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new StackException("cannot read the services' settings from " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new java.util.TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name);
            // the mode's settings follow strategy.processing; what the stack decides per run (state
            // dir, security) is set by the bench itself
            value = value.contains("${processing.") ? resolved(value, properties) : value.contains("${") ? null : value;
            if (name.startsWith("kafka-streams.") && value != null) {
                settings.put(name.substring("kafka-streams.".length()), value);
            }
        }
        return settings;
    }

    /** {@code value} with its {@code ${name}} expressions (nested ones too) taken from {@code properties}; null if one is not there. */
    static String resolved(String value, Properties properties) {
        int end = value.indexOf('}');
        while (end >= 0) {
            int start = value.lastIndexOf("${", end);
            if (start < 0) {
                return value;
            }
            String name = value.substring(start + 2, end);
            String found = properties.getProperty(name);
            if (found == null) {
                return null;
            }
            value = value.substring(0, start) + found + value.substring(end + 1);
            end = value.indexOf('}');
        }
        return value;
    }

    /** The mode the strategies run by default, from their Streams guarantee. */
    private Processing processing() {
        return Processing.ofGuarantee(serviceStreamsSettings.get("processing.guarantee"));
    }

    private Properties streamsProps(String applicationId, int commitInterval) {
        Properties props = new Properties();
        props.putAll(serviceStreamsSettings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.putAll(config.kafkaClient());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(commitInterval));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(config.runDir(), "bench-state").toString());
        } catch (IOException e) {
            throw new StackException("cannot create a state directory: " + e.getMessage(), e);
        }
        return props;
    }

    /**
     * Records/s and CPU µs per record, from the moment the application runs (its start-up and first
     * rebalance are not throughput) until its committed offsets reach the end of the topic.
     */
    private Throughput streamsThroughput(String what, Topology topology, int commitInterval) {
        String applicationId = "bench-" + UUID.randomUUID();
        Properties props = streamsProps(applicationId, commitInterval);
        try (Admin admin = admin()) {
            long end = endOffsets(admin, BENCH_PRICES);
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            try (KafkaStreams streams = new KafkaStreams(topology, props)) {
                streams.setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.RUNNING) {
                        running.countDown();
                    }
                });
                streams.start();
                if (!running.await(60, TimeUnit.SECONDS)) {
                    throw new StackException(what + ": Kafka Streams did not reach RUNNING in 60 s (" + streams.state() + ")");
                }
                // timed from the first commit past 5 % of the topic: start-up, the first rebalance and
                // the first fetches are not throughput
                long startCommitted;
                while ((startCommitted = committed(admin, applicationId, BENCH_PRICES)) < end / 20) {
                    checkRunning(streams, what);
                    LockSupport.parkNanos(10_000_000L); // polling the committed offsets
                }
                long started = System.nanoTime();
                long cpuStart = ownCpuNanos();
                long lastReport = started;
                long done;
                while ((done = committed(admin, applicationId, BENCH_PRICES)) < end) {
                    checkRunning(streams, what);
                    LockSupport.parkNanos(10_000_000L); // polling the committed offsets
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        step("  %s: %,d of %,d", what, done, end);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                long records = end - startCommitted;
                double rate = records / seconds;
                double cpuMicros = (ownCpuNanos() - cpuStart) / 1e3 / records;
                step("%s: %,d records in %.1f s, %,.0f records/s, %.1f µs CPU per record", what, records, seconds, rate, cpuMicros);
                streams.close(Duration.ofSeconds(30));
                return new Throughput(rate, cpuMicros);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException(what + ": interrupted", e);
        }
    }

    private static void checkRunning(KafkaStreams streams, String what) {
        if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
            throw new StackException(what + ": Kafka Streams stopped (" + streams.state() + ")");
        }
    }

    // ---- 2. latency ----------------------------------------------------------------------------

    /** A bare hop: a producer at {@code rate}, a read_committed consumer, creation to read. */
    private double[] hopLatency(int rate, int run) {
        double[] q = timedHop(BENCH_HOP, BENCH_HOP, rate);
        step("bare hop at %,d/s, run %d: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", rate, run, q[0], q[1], q[2]);
        return q;
    }

    /** A bare pass-through ({@code mapValues}) with the strategies' Streams settings and the given commit interval: what Kafka Streams itself costs in latency. */
    private double[] passThroughLatency(int rate, int commitInterval, int run) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(BENCH_PASS_IN, Consumed.with(Serdes.Long(), Serdes.ByteArray()))
                .mapValues(value -> value)
                .to(BENCH_PASS_OUT, org.apache.kafka.streams.kstream.Produced.with(Serdes.Long(), Serdes.ByteArray()));
        Properties props = streamsProps("bench-pass-" + UUID.randomUUID(), commitInterval);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            awaitRunning(streams);
            double[] q = timedHop(BENCH_PASS_IN, BENCH_PASS_OUT, rate);
            step("bare Streams pass-through (" + serviceStreamsSettings.get("processing.guarantee") + ") at %,d/s, commit.interval.ms=%d%s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", rate,
                    commitInterval, run > 0 ? ", run " + run : "", q[0], q[1], q[2]);
            streams.close(Duration.ofSeconds(30));
            return q;
        }
    }

    private static void awaitRunning(KafkaStreams streams) {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(60, TimeUnit.SECONDS)) {
                throw new StackException("a bench topology did not reach RUNNING in 60 s (" + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    /** Writes records stamped with their creation time (µs) into {@code in} at {@code rate}; reads {@code out}. */
    private double[] timedHop(String in, String outTopic, int rate) {
        Histogram micros = new Histogram(3);
        AtomicBoolean done = new AtomicBoolean();
        java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<Long, byte[]> consumer = new KafkaConsumer<>(consumerProps("bench-hop-" + UUID.randomUUID(), "latest"),
                    new LongDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(outTopic));
                while (!done.get()) {
                    ConsumerRecords<Long, byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    for (ConsumerRecord<Long, byte[]> record : records) {
                        micros.recordValue(Math.max(0, nowMicros() - record.key()));
                    }
                }
            }
        }, "bench-hop-reader");
        reader.start();
        awaitLatch(assigned, "the latency reader's partitions");
        Map<String, Object> producerProps = new HashMap<>(config.kafkaClient(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0)));
        try (KafkaProducer<Long, byte[]> producer = new KafkaProducer<>(producerProps, new LongSerializer(), new ByteArraySerializer())) {
            byte[] payload = new byte[80];
            paced(rate, settings.windowSeconds(), i -> producer.send(new ProducerRecord<>(in, (int) (i % 12), nowMicros(), payload)));
            producer.flush();
        }
        awaitQuiet(() -> micros.getTotalCount(), (long) rate * settings.windowSeconds());
        done.set(true);
        join(reader);
        return quantiles(micros);
    }

    /** A strategy's topology in this process on a live topic, fed at {@code rate}: price to order readable. */
    private double[] liveStrategyLatency(StrategyDefinition<?> definition, int rate, int commitInterval) {
        Properties props = streamsProps("bench-live-" + UUID.randomUUID(), commitInterval);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        try (KafkaStreams streams = new KafkaStreams(strategy(definition, BENCH_LIVE_PRICES, BENCH_LIVE_ORDERS), props)) {
            awaitRunning(streams);
            String tag = "bench-sweep-" + commitInterval;
            Histogram toOrder = new Histogram(3);
            AtomicBoolean done = new AtomicBoolean();
            Thread reader = orderReader(List.of(BENCH_LIVE_ORDERS), tag, toOrder, null, null, done);
            PriceSource source = new PriceSource();
            publish(source, BENCH_LIVE_PRICES, rate, settings.windowSeconds(), tag);
            awaitQuiet(toOrder::getTotalCount, Long.MAX_VALUE);
            done.set(true);
            join(reader);
            double[] q = quantiles(toOrder);
            step("sweep: %s live at %,d prices/s, commit.interval.ms=%d: %,d orders, p50 %.1f / p99 %.1f / p99.9 %.1f ms",
                    definition.name(), rate, commitInterval, toOrder.getTotalCount(), q[0], q[1], q[2]);
            streams.close(Duration.ofSeconds(30));
            return q;
        }
    }

    /** Reads orders (and, if asked, executions) and records each one's time since its price was published. */
    private Thread orderReader(List<String> topics, String tag, Histogram toOrder, Histogram toFill, long[] fillWindowStart,
                               AtomicBoolean done) {
        java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            var orders = RegistrySerdes.<Order>valueSerde(config.registryUrl()).deserializer();
            var reports = RegistrySerdes.<ExecutionReport>valueSerde(config.registryUrl()).deserializer();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps("bench-latency-" + UUID.randomUUID(), "latest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(topics);
                while (!done.get()) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    for (ConsumerRecord<String, byte[]> record : records) {
                        long now = nowMicros();
                        if (record.topic().equals(Topics.EXECUTIONS)) {
                            ExecutionReport report = reports.deserialize(record.topic(), record.headers(), record.value());
                            if (toFill != null && report.getStatus() == ExecutionStatus.FILLED && report.getPricePublishTime() != null
                                    && micros(report.getPricePublishTime()) >= fillWindowStart[0]) {
                                toFill.recordValue(Math.max(0, now - micros(report.getPricePublishTime())));
                            }
                        } else {
                            Order order = orders.deserialize(record.topic(), record.headers(), record.value());
                            if (order.getPriceSource().equals(tag)) {
                                toOrder.recordValue(Math.max(0, now - micros(order.getPricePublishTime())));
                            }
                        }
                    }
                }
            }
        }, "bench-latency-reader");
        reader.start();
        awaitLatch(assigned, "the latency reader's partitions");
        return reader;
    }

    /** Prices at {@code rate} into {@code prices}; orders and fills traced back to them by publish time. */
    private double[][] pipelineLatency(Stack stack, PriceSource source, int rate, int run) {
        try (Admin admin = admin()) {
            awaitDrained(admin, pipelineGroups()); // a backlog of the phase before would be counted as this rate's cost
        }
        String tag = "bench-latency-" + rate + "-" + run;
        Histogram toOrder = new Histogram(3);
        Histogram toFill = new Histogram(3);
        long[] windowStart = {Long.MAX_VALUE};
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = orderReader(List.of(Topics.ORDERS, Topics.EXECUTIONS), tag, toOrder, toFill, windowStart, done);
        Map<String, Long> before = cpuTimes(stack);
        long windowStartNanos = System.nanoTime();
        windowStart[0] = nowMicros();
        long published = publish(source, Topics.PRICES, rate, settings.windowSeconds(), tag);
        recordProcessUse(stack, rate, before, System.nanoTime() - windowStartNanos, published, run == settings.repeats());
        awaitQuiet(() -> toOrder.getTotalCount() + toFill.getTotalCount(), Long.MAX_VALUE);
        done.set(true);
        join(reader);
        double[] order = quantiles(toOrder);
        double[] fill = quantiles(toFill);
        step("pipeline at %,d prices/s, run %d: %,d orders, to order p50 %.1f / p99 %.1f / p99.9 %.1f ms;"
                        + " %,d fills, to fill p50 %.1f / p99 %.1f / p99.9 %.1f ms", rate, run, toOrder.getTotalCount(),
                order[0], order[1], order[2], toFill.getTotalCount(), fill[0], fill[1], fill[2]);
        return new double[][]{order, fill};
    }

    /** Waits until {@code count} reaches {@code expected} or stops growing for 2 s (at most 30 s). */
    private static void awaitQuiet(java.util.function.LongSupplier count, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = count.getAsLong();
            if (now >= expected) {
                return;
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 2_000_000_000L) {
                return;
            }
            LockSupport.parkNanos(100_000_000L); // polling the reader's count
        }
    }

    private static void awaitLatch(java.util.concurrent.CountDownLatch latch, String what) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new StackException("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted waiting for " + what, e);
        }
    }

    private static void join(Thread thread) {
        join(thread, 10);
    }

    /** Waits for {@code thread}, which ends by itself, at most {@code seconds}. */
    private static void join(Thread thread, int seconds) {
        try {
            thread.join(seconds * 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- 5. the highest rate the pipeline keeps up with ------------------------------------------

    /**
     * Doubles the rate from {@link Settings#ladderStart} until the pipeline falls behind (halves
     * it if even the start is too much), then bisects between the last rate kept up with and the
     * first one not, until they are within 10 %: the result is a measured ceiling.
     */
    private Integer sustainedRate(PriceSource source) {
        List<String> groups = pipelineGroups();
        try (Admin admin = admin()) {
            Integer good = null;
            Integer bad = null;
            int rate = settings.ladderStart();
            while (true) {
                boolean keepsUp = keepsUp(admin, groups, source, rate);
                if (keepsUp) {
                    good = rate;
                } else {
                    bad = rate;
                }
                if (good == null) {
                    if (rate <= 250) {
                        return null;
                    }
                    rate /= 2;
                } else if (bad == null) {
                    if (rate >= 128_000) {
                        return good;
                    }
                    rate *= 2;
                } else if (bad - good <= good / 10) {
                    step("pipeline sustained rate: %,d prices/s (kept up), %,d did not", good, bad);
                    return good;
                } else {
                    rate = (good + bad) / 2;
                }
            }
        }
    }

    private boolean keepsUp(Admin admin, List<String> groups, PriceSource source, int rate) {
        int window = settings.ladderWindowSeconds();
        double[] published = new double[1];
        Thread feeder = new Thread(() -> published[0] = publish(source, Topics.PRICES, rate, window + 10,
                "bench-rate-" + rate) / (double) (window + 10));
        feeder.start();
        LockSupport.parkNanos(10_000_000_000L); // settle at the new rate before measuring
        long lagStart = CatchUp.behind(admin, groups);
        long started = System.nanoTime();
        join(feeder, window + 60);
        long lagEnd = CatchUp.behind(admin, groups);
        double seconds = (System.nanoTime() - started) / 1e9;
        // keeping up: the load generator managed the rate, and the backlog of the three groups did not
        // grow by 2 % of what was published, or stays under half a second of prices per group
        // (commits every 100 ms make the lag jitter by a few hundred records either way)
        boolean keepsUp = source.lastRate >= rate * 0.95
                && (lagEnd - lagStart < rate * seconds * 0.02 || lagEnd < rate * 0.5 * groups.size());
        ladder.add(new LadderStep(rate, round(source.lastRate), lagStart, lagEnd, keepsUp));
        step("pipeline at %,d prices/s (published %,.0f/s): lag %,d → %,d over %.0f s, %s", rate, source.lastRate,
                lagStart, lagEnd, seconds, keepsUp ? "keeps up" : "falls behind");
        awaitDrained(admin, groups);
        return keepsUp;
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

    /** Publishes at {@code rate} for {@code seconds} into {@code topic}; the source name lets a reader pick these prices. */
    private long publish(PriceSource source, String topic, int rate, int seconds, String tag) {
        String name = tag == null ? "bench-warmup" : tag;
        try (KafkaProducer<String, Price> producer = priceProducer(5)) { // as price-feed sends
            long started = System.nanoTime();
            long sent = paced(rate, seconds, i -> {
                Price price = source.next(name);
                producer.send(PriceRecords.traced(BENCH_TRACER, topic, null, price));
            });
            producer.flush();
            source.lastRate = sent / ((System.nanoTime() - started) / 1e9);
            return sent;
        }
    }

    private void awaitDrained(Admin admin, List<String> groups) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (CatchUp.behind(admin, groups) > 1000 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(500_000_000L); // polling the lag
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
        props.putAll(config.kafkaClient());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), RegistrySerdes.<Price>valueSerde(config.registryUrl()).serializer());
    }

    private Map<String, Object> consumerProps(String group, String reset) {
        return config.kafkaClient(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }

    private Admin admin() {
        return Admin.create(config.kafkaClient());
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

    /** p50, p99 and p99.9 in milliseconds (NaN when nothing was recorded). */
    private static double[] quantiles(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{millis(micros.getValueAtPercentile(50)), millis(micros.getValueAtPercentile(99)),
                millis(micros.getValueAtPercentile(99.9))};
    }

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static final String SELF = "bench (load generator and reader)";

    private Map<String, Long> cpuTimes(Stack stack) {
        Map<String, Long> times = new LinkedHashMap<>();
        for (ManagedProcess process : stack.processes()) {
            times.put(process.name(), cpuNanos(process.pid()));
        }
        times.put(SELF, ownCpuNanos());
        return times;
    }

    /** Each process's share of a core and CPU time per price published during the window. */
    private void recordProcessUse(Stack stack, int rate, Map<String, Long> before, long elapsedNanos, long prices,
                                  boolean keep) {
        if (!keep) {
            return;
        }
        Map<String, Long> after = cpuTimes(stack);
        for (ManagedProcess process : stack.processes()) {
            add(rate, process.name(), before, after, elapsedNanos, prices, process.residentMib());
        }
        add(rate, SELF, before, after, elapsedNanos, prices, Runtime.getRuntime().totalMemory() / (1024 * 1024));
    }

    private void add(int rate, String name, Map<String, Long> before, Map<String, Long> after, long elapsedNanos,
                     long prices, long residentMib) {
        Long start = before.get(name);
        Long end = after.get(name);
        if (start != null && end != null && prices > 0) {
            long used = end - start;
            processUse.add(new ProcessUse(rate, name, round(used * 100.0 / elapsedNanos), round(used / 1e3 / prices),
                    residentMib));
        }
    }

    /** CPU time a process used so far (user + system), from the OS. */
    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
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

    private Map<String, Object> settingsMap(int commitInterval) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("preloadedPrices", settings.prices());
        map.put("tickers", settings.tickers());
        map.put("repeats", settings.repeats());
        map.put("windowSeconds", settings.windowSeconds());
        map.put("warmupSeconds", settings.warmupSeconds());
        map.put("ladderWindowSeconds", settings.ladderWindowSeconds());
        map.put("latencyRates", settings.latencyRates());
        map.put("sweep", settings.sweep());
        map.put("servicesKafkaStreams", serviceStreamsSettings);
        map.put("pipeline", "strategies: processing.guarantee=" + serviceStreamsSettings.get("processing.guarantee")
                + ", commit.interval.ms=" + commitInterval + ", producer linger.ms=" + serviceStreamsSettings.get("producer.linger.ms")
                + " (at_least_once: an order is readable once sent; exactly_once_v2: once its transaction commits),"
                + " state stores cached (the cache holds changelog writes, not output: orders are forwarded at once)");
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
        out.printf("%-52s %-10s %10s %10s %10s   %s%n", "figure", "unit", "min", "median", "max", "runs");
        for (Figure figure : result.figures()) {
            out.printf("%-52s %-10s %10s %10s %10s   %s%n", figure.name(), figure.unit(), fmt(figure.min()),
                    fmt(figure.median()), fmt(figure.max()), figure.values().stream().map(Bench::fmt).toList());
        }
        out.println();
        for (Ratio ratio : result.ratios()) {
            out.printf("%-56s %7.2f   target %-15s %s%n", ratio.name(), ratio.ratio(), ratio.target(),
                    ratio.target().startsWith("(") ? "" : ratio.met() ? "met" : "NOT MET");
        }
        if (!result.sweep().isEmpty()) {
            out.println();
            out.println("commit.interval.ms sweep (the catalog's first strategy in the bench process; latency at the highest rate):");
            out.printf("  %9s %12s %10s   %-28s %-28s%n", "interval", "records/s", "µs/price", "price→order p50/p99/p99.9",
                    "pass-through p50/p99/p99.9");
            for (SweepRow row : result.sweep()) {
                out.printf("  %9d %12s %10.1f   %-28s %-28s%n", row.commitIntervalMs(), fmt(row.strategyThroughput()),
                        row.strategyCpuMicrosPerPrice(), triple(row.strategyLatencyMs()), triple(row.passThroughLatencyMs()));
            }
        }
        if (!result.ladder().isEmpty()) {
            out.println();
            out.println("Sustained-rate search:");
            for (LadderStep step : result.ladder()) {
                out.printf("  %,8d prices/s (published %,.0f/s): lag %,d → %,d  %s%n", step.rate(), step.published(),
                        step.lagBefore(), step.lagAfter(), step.keepsUp() ? "keeps up" : "falls behind");
            }
        }
        out.println();
        out.println("CPU per process during the last window at each rate (share of one core; CPU time per price published):");
        for (ProcessUse use : result.processes()) {
            out.printf("  %,6d/s  %-36s %6.1f %%  %8.1f µs/price  %6d MiB%n", use.rate(), use.process(), use.cpuPercent(),
                    use.cpuMicrosPerPrice(), use.residentMib());
        }
    }

    private static String triple(double[] ms) {
        return String.format("%s / %s / %s ms", fmt(ms[0]), fmt(ms[1]), fmt(ms[2]));
    }

    private static String fmt(Double value) {
        if (value == null || value.isNaN()) {
            return "-";
        }
        return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }
}
