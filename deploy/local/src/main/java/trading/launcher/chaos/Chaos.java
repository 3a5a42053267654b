package trading.launcher.chaos;

import trading.launcher.PipelineCli;
import trading.launcher.backtest.Backtest;
import trading.launcher.catalog.StrategyRules;
import trading.launcher.stack.FakeClock;
import trading.launcher.stack.Isolation;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import trading.launcher.stack.StackConfig.Service;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Price;
import trading.schema.Texts;
import trading.schema.Topics;
import trading.schema.kafka.DeadLetters;
import trading.schema.kafka.RegistrySerdes;
import trading.strategy.Tick;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code ./pipeline chaos}: a steady simulated market with a fixed seed; while it runs, every
 * strategy and order-execution instance is killed ({@code kill -9}) and restarted, undecodable
 * records are sent to {@code prices} and {@code orders}, and a slice of already published prices
 * is sent again. Then the run is checked against a backtest of the very prices on the topic: every
 * order the reference makes is on {@code orders} once and executed once, nothing else is, every
 * bad record is dead-lettered with its reason, and positions equal the sum of fills.
 */
public final class Chaos {

    /** How hard and how long. */
    record Plan(int rounds, int badRecords, int resentPrices, long prices) {
        static Plan full(int rounds) {
            return new Plan(rounds, 20, 500, 100_000);
        }

        static Plan quick(int rounds) {
            // 30 000 prices per share of the feed's cap (150 s at 200/s; see execute)
            return new Plan(rounds, 5, 200, 30_000);
        }
    }

    /** What the run found. {@link #passed()} is the verdict. */
    public record Report(long pricesPublished, long pricesDistinct, int kills, long ordersExpected, long ordersFound,
                  long ordersMissing, long ordersDuplicated, long ordersSentAgain, long ordersUnexpected, long executed,
                  long notExecuted,
                  long executedTwice, long executedUnexpected, long badPricesSent, long badPricesDeadLettered,
                  long badOrdersSent, long badOrdersDeadLettered, long positionsChecked, long positionsWrong,
                  long pricesAcknowledged, long pricesLost, long tickersNotApplied, List<String> brokerFaults,
                  List<DependencyFaults.Outcome> dependencyFaults, List<DependencyFaults.Outcome> networkFaults,
                  List<DependencyFaults.Outcome> clockFaults, List<Failover.Times> failovers, List<String> strategies) {

        public boolean passed() {
            return pricesLost == 0 && tickersNotApplied == 0 && pricesAcknowledged > 0 && ordersMissing == 0 && ordersDuplicated == 0 && ordersUnexpected == 0 && notExecuted == 0
                    && executedTwice == 0 && executedUnexpected == 0 && ordersExpected > 0
                    && badPricesDeadLettered == strategies.size() * badPricesSent // each strategy dead-letters each one
                    && badOrdersDeadLettered == badOrdersSent && positionsWrong == 0 && positionsChecked > 0;
        }

        public void print(PrintStream out) {
            out.println();
            out.printf("prices            published %,d (distinct %,d, the rest re-sent)%n", pricesPublished, pricesDistinct);
            out.printf("lost writes       acknowledged to the feed %,d  missing from the topic %,d;"
                    + " tickers where a strategy did not apply every price %d%n", pricesAcknowledged, pricesLost, tickersNotApplied);
            out.printf("kills             %d (kill -9, then restart)%n", kills);
            for (Failover.Times failover : failovers) {
                out.printf("failover          %s%n", failover);
            }
            if (!brokerFaults.isEmpty()) {
                out.printf("broker faults     %d: %s%n", brokerFaults.size(), String.join("; ", brokerFaults));
            }
            for (DependencyFaults.Outcome fault : dependencyFaults) {
                out.printf("dependency fault  %s%n", fault);
            }
            for (DependencyFaults.Outcome fault : networkFaults) {
                out.printf("network fault     %s%n", fault);
            }
            for (DependencyFaults.Outcome fault : clockFaults) {
                out.printf("clock fault       %s%n", fault);
            }
            out.printf("orders            expected %,d  found %,d  missing %,d  duplicated %,d  not expected %,d%n",
                    ordersExpected, ordersFound, ordersMissing, ordersDuplicated, ordersUnexpected);
            out.printf("                  sent again by idempotent strategies (same id, order-execution takes it once) %,d%n",
                    ordersSentAgain);
            out.printf("executions        executed once %,d  not executed %,d  executed twice %,d  not expected %,d%n",
                    executed, notExecuted, executedTwice, executedUnexpected);
            out.printf("strategies        %s%n", String.join(", ", strategies));
            out.printf("bad prices        sent %d  dead-lettered %d (expected %d: one per strategy)%n",
                    badPricesSent, badPricesDeadLettered, strategies.size() * badPricesSent);
            out.printf("bad orders        sent %d  dead-lettered %d%n", badOrdersSent, badOrdersDeadLettered);
            out.printf("positions         checked %,d  not the sum of their fills %d%n", positionsChecked, positionsWrong);
            out.println(passed() ? "PASSED: nothing lost, nothing doubled." : "FAILED: see the counts above.");
        }
    }

    /** Catching up takes seconds after a quick run; a group that needs longer is stuck, and the run says why. */
    private static final Duration CATCH_UP = Duration.ofMinutes(5);
    private static final String MARKER = "chaos-bad-record-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackConfig config;
    private final Plan plan;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    private final boolean quick;
    private final Set<Phase> phases;

    Chaos(StackConfig config, Plan plan, boolean quick, Set<Phase> phases, PrintStream out) {
        this.config = config;
        this.plan = plan;
        this.quick = quick;
        this.phases = phases;
        this.out = out;
    }

    /** {@code ./pipeline chaos}: 0 when nothing was lost or doubled. */
    public static int run(PipelineCli.Options options, boolean quick, PrintStream out) {
        Report report = execute(options, quick, out);
        report.print(out);
        return report.passed() ? 0 : 1;
    }

    /** Runs the plan on a fresh stack of its own (in {@code .pipeline-chaos}) and reports. */
    public static Report execute(PipelineCli.Options options, boolean quick, PrintStream out) {
        Plan plan = quick ? Plan.quick(options.rounds()) : Plan.full(options.rounds());
        StackConfig stack = options.stack();
        Set<Phase> phases = Phase.of(options.phases(), quick, stack.brokers());
        if (options.phases() != null) {
            // asked for by name: a phase this machine cannot have is an error, not a silent skip
            if (phases.stream().anyMatch(Phase::needsIsolation)) {
                Isolation.unavailable().ifPresent(why -> {
                    throw new StackException("chaos --phase " + Phase.labels(phases) + ": no network or disk faults on this machine: " + why);
                });
            }
            if (phases.contains(Phase.CLOCK)) {
                FakeClock.unavailable().ifPresent(why -> {
                    throw new StackException("chaos --phase clock: no clock faults on this machine: " + why);
                });
            }
        }
        Map<String, String> feed = new LinkedHashMap<>(stack.feedProperties());
        // Prices must flow through every fault, or a fault would meet idle services; the feed is
        // stopped once the last fault is done, so the limit is only a cap, generous for a slow day
        // (one restart took 55-70 s, a kill round on three nodes 300-400 s): one share, two more
        // per round of kills, three for the faults of three nodes, two or three for the
        // registry's and the single broker's, five for the clock's (four restarts under a clock set
        // off took 630 s, each JVM 47-132 s to start), one for the disk's.
        boolean dependencyFaults = phases.contains(Phase.REGISTRY) || phases.contains(Phase.BROKERS) && stack.brokers() == 1;
        long multiple = 1 + (phases.contains(Phase.KILLS) ? 2L * plan.rounds() : 0)
                + (stack.brokers() >= 3 && (phases.contains(Phase.BROKERS) || phases.contains(Phase.PARTITIONS)) ? 3 : 0)
                + (dependencyFaults ? (quick ? 2 : 3) : 0) + (phases.contains(Phase.CLOCK) ? 5 : 0) + (phases.contains(Phase.DISK) ? 1 : 0);
        feed.put("feed.limit", Long.toString(plan.prices() * multiple));
        // chaos checks what survives faults, not speed: services that start sooner restart sooner
        List<String> javaOptions = new ArrayList<>(StackConfig.QUICK_START_JVM);
        javaOptions.addAll(stack.javaOptions());
        StackConfig config = new StackConfig(stack.home(), stack.runDir().resolveSibling(".pipeline-chaos"), false,
                stack.portOffset(), quick ? 1 : Math.max(2, stack.instances()), stack.feedRate(), stack.feedSeed(),
                javaOptions, feed, stack.broker(), stack.exchangeProperties(), stack.secure(), stack.brokers());
        return new Chaos(config, plan, quick, phases, out).run();
    }

    public Report run() {
        out.printf("chaos: phases %s%s; a feed of up to %,d prices at %.0f/s (seed %d), %d bad prices, %d bad orders,"
                        + " %d prices re-sent%n", Phase.labels(phases),
                phases.contains(Phase.KILLS) ? " (" + plan.rounds() + " round(s) of kill -9 and restart of every strategy instance"
                        + " and order-execution)" : "",
                Long.parseLong(config.feedProperties().get("feed.limit")), config.feedRate(), config.feedSeed(), plan.badRecords(),
                plan.badRecords(), plan.resentPrices());
        if (config.instances() > 1) {
            out.printf("chaos: %d instances of each strategy with %d standby replica(s) per task; each strategy kill is timed"
                    + " until every ticker is answered and until processing resumes%n", config.instances(), standbyReplicas());
        }
        // partitions need each process in a control group of its own from its start
        Isolation isolation = config.brokers() >= 3 && phases.stream().anyMatch(Phase::needsIsolation) ? isolation() : null;
        try (Stack stack = new Stack(config, out)) {
            if (isolation != null) {
                stack.isolateProcesses(isolation);
            }
            stack.start();
            await("the first fill", Duration.ofMinutes(3), () -> orderExecutionStats().path("byStatus").path("FILLED").asLong() > 0);
            List<String> victims = new ArrayList<>();
            List<Service> killed = new ArrayList<>(config.strategies()); // every strategy of the catalog
            killed.add(Service.ORDER_EXECUTION);
            Map<String, Service> serviceOf = new HashMap<>();
            for (Service service : killed) {
                for (int i = 0; i < config.instances(); i++) {
                    victims.add(Stack.instanceName(service, i));
                    serviceOf.put(Stack.instanceName(service, i), service);
                }
            }
            int kills = 0;
            List<Failover.Times> failovers = new ArrayList<>();
            if (!phases.contains(Phase.KILLS)) {
                sendBadRecords();
                resendPrices();
            }
            for (int round = 1; phases.contains(Phase.KILLS) && round <= plan.rounds(); round++) {
                for (String victim : victims) {
                    step("round %d: kill -9 %s", round, victim);
                    Service strategy = serviceOf.get(victim).isStrategy() && config.instances() > 1 ? serviceOf.get(victim) : null;
                    if (strategy != null) {
                        // with a survivor, time the take-over before bringing the victim back
                        Failover.Times times = Failover.measure(config, stack, strategy, victim.endsWith("-0") ? 0 : 1);
                        failovers.add(times);
                        step("round %d: %s", round, times);
                    } else {
                        stack.kill(victim);
                    }
                    kills++;
                    if (round == 1 && victim.equals(victims.get(0))) {
                        sendBadRecords();
                        resendPrices();
                    }
                    stack.restart(victim);
                    step("round %d: %s back", round, victim);
                }
            }
            List<DependencyFaults.Outcome> dependencyFaults = new DependencyFaults(stack, quick,
                    () -> feedStatus().path("running").asBoolean(true), what -> step("%s", what)).run(phases);
            List<DependencyFaults.Outcome> networkFaults = isolation != null && phases.contains(Phase.PARTITIONS)
                    ? new NetworkFaults(stack, isolation, () -> feedStatus().path("running").asBoolean(true),
                            () -> feedStatus().path("published").asLong(-1), what -> step("%s", what)).run(quick) : List.of();
            List<String> brokerFaults = config.brokers() >= 3
                    ? new BrokerFaults(stack, isolation, what -> step("%s", what))
                            .run(quick, phases.contains(Phase.BROKERS), phases.contains(Phase.DISK)) : List.of();
            List<DependencyFaults.Outcome> clockFaults = !phases.contains(Phase.CLOCK) || clockFaultsUnavailable() ? List.of()
                    : new ClockFaults(stack, () -> feedStatus().path("running").asBoolean(true), what -> step("%s", what))
                            .run(List.of(new ClockFaults.Victim(Stack.instanceName(Service.ORDER_EXECUTION, 0), "orders filled",
                                            () -> orderExecutionStats().path("byStatus").path("FILLED").asLong(-1)),
                                    new ClockFaults.Victim(Stack.instanceName(config.strategies().get(0), 0), "prices applied",
                                            () -> Recovery.pricesApplied(config, config.strategies().get(0)))));
            // The feed ran through every fault; more prices would only make the run longer. Its limit
            // stays as a cap (a fault that outlasts it meets an idle feed, as before, not a longer run).
            step("every fault is done: stopping the feed after %,d prices (its cap: %,d)",
                    feedStatus().path("published").asLong(-1), Long.parseLong(config.feedProperties().get("feed.limit")));
            stopFeed(stack);
            await("the feed to stop, every price sent acknowledged or failed", Duration.ofMinutes(5),
                    () -> !feedStatus().path("running").asBoolean(true));
            step("the feed stopped: %,d prices acknowledged, %,d failed", feedStatus().path("published").asLong(),
                    feedStatus().path("failed").asLong());
            step("waiting for strategies and order-execution to catch up");
            awaitCaughtUp(stack);
            step("verifying against a backtest of the prices on the topic");
            return verify(kills, brokerFaults, dependencyFaults, networkFaults, clockFaults, failovers);
        } finally {
            if (isolation != null) {
                isolation.close(); // after the stack: its rules and control groups go with it
            }
        }
    }

    /** Whether this machine cannot set a process's clock off (and says why). */
    private boolean clockFaultsUnavailable() {
        Optional<String> why = FakeClock.unavailable();
        why.ifPresent(reason -> out.println("chaos: no clock faults on this machine: " + reason));
        return why.isPresent();
    }

    /** The network faults' means, or null (and why) where this machine has none. */
    private Isolation isolation() {
        Optional<String> why = Isolation.unavailable();
        if (why.isPresent()) {
            out.println("chaos: no network faults on this machine: " + why.get());
            return null;
        }
        Isolation isolation = Isolation.create(config.portOffset(), config.runDir());
        if (phases.contains(Phase.DISK)) {
            isolation.ownDisk(Stack.brokerName(config.brokers(), BrokerFaults.DISK_FULL_NODE), BrokerFaults.DISK_SIZE); // to fill up
        }
        return isolation;
    }

    /** What the services are started with: {@code --standby N}, else one per task with several instances. */
    private int standbyReplicas() {
        String option = "-Dkafka-streams.num.standby.replicas=";
        return config.javaOptions().stream().filter(o -> o.startsWith(option)).reduce((first, later) -> later)
                .map(o -> Integer.parseInt(o.substring(option.length()))).orElse(config.instances() > 1 ? 1 : 0);
    }

    private void sendBadRecords() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafkaClient(Map.of(ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < plan.badRecords(); i++) {
                byte[] garbage = (MARKER + "price-" + i).getBytes(StandardCharsets.UTF_8);
                if (i == 0) {
                    // the wire format under a schema id the registry does not have: bad data, which
                    // the registry's answer (404) tells from an absent registry
                    byte[] unknownId = {0, 0x7f, (byte) 0xff, (byte) 0xff, 0x01};
                    garbage = ByteBuffer.allocate(unknownId.length + garbage.length).put(unknownId).put(garbage).array();
                }
                producer.send(new ProducerRecord<>(Topics.PRICES, "CHAOS" + i, garbage));
                byte[] badOrder = (MARKER + "order-" + i).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.ORDERS, "CHAOS" + i, badOrder));
            }
            producer.flush();
        }
        step("sent %d undecodable records to %s (one under a schema id the registry does not have) and %d to %s", plan.badRecords(), Topics.PRICES, plan.badRecords(), Topics.ORDERS);
    }

    /** Publishes the first prices of the topic again, byte for byte: a feed that re-sends after a timeout. */
    private void resendPrices() {
        List<ConsumerRecord<String, byte[]>> slice = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.PRICES));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slice.size() < plan.resentPrices() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (slice.size() < plan.resentPrices() && !new String(record.value(), StandardCharsets.ISO_8859_1).contains(MARKER)) {
                        slice.add(record);
                    }
                }
            }
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafkaClient(Map.of(ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> record : slice) {
                ProducerRecord<String, byte[]> again = new ProducerRecord<>(Topics.PRICES, record.partition(), record.key(), record.value());
                for (Header header : record.headers()) {
                    again.headers().add(header);
                }
                producer.send(again);
            }
            producer.flush();
        }
        step("re-sent %d prices that were already published", slice.size());
    }

    /** Every Streams application and order-execution has read its input to the end. */
    private void awaitCaughtUp(Stack stack) {
        List<String> groups = new ArrayList<>(config.strategies().stream().map(s -> s.strategy().applicationId()).toList());
        groups.add("order-execution");
        try (Admin admin = Admin.create(config.kafkaClient())) {
            new CatchUp(admin, config.kafkaClient(), groups, what -> step("%s", what), stack::processes).await(CATCH_UP);
        }
    }

    private Report verify(int kills, List<String> brokerFaults, List<DependencyFaults.Outcome> dependencyFaults,
                          List<DependencyFaults.Outcome> networkFaults, List<DependencyFaults.Outcome> clockFaults,
                          List<Failover.Times> failovers) {
        // the reference: every strategy's code over every decodable price on the topic, in topic order
        List<Backtest.OrderLine> reference = new ArrayList<>();
        List<Backtest.Runner> runners = Backtest.runners(config.strategies().stream()
                .map(s -> Backtest.Strategy.of(config.home(), s.strategy())).toList(), reference);
        var priceDecoder = RegistrySerdes.<Price>valueSerde(config.registryUrl()).deserializer();
        long[] published = {0};
        Set<String> distinct = new HashSet<>();
        Map<String, java.util.TreeSet<Long>> sequences = new TreeMap<>();
        readAll(Topics.PRICES, record -> {
            Price price;
            try {
                price = priceDecoder.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                return;
            }
            published[0]++;
            distinct.add(price.getSource() + "|" + price.getTicker() + "|" + price.getSequence());
            sequences.computeIfAbsent(price.getTicker(), t -> new java.util.TreeSet<>()).add(price.getSequence());
            Tick tick = new Tick(price.getTicker(), price.getPrice(), price.getSource(), price.getSequence(),
                    price.getEventTime().toEpochMilli());
            runners.forEach(runner -> runner.apply(tick));
        });
        runners.forEach(Backtest.Runner::close);
        Set<String> expected = new HashSet<>();
        reference.forEach(order -> expected.add(order.orderId()));

        var orderDecoder = RegistrySerdes.<trading.schema.Order>valueSerde(config.registryUrl()).deserializer();
        Map<String, Integer> onOrders = new HashMap<>();
        Set<String> sentAgainAllowed = new HashSet<>();
        Set<String> idempotent = new HashSet<>();
        config.strategies().stream().filter(s -> s.strategy().idempotent()).forEach(s -> idempotent.add(s.strategy().name()));
        readAll(Topics.ORDERS, record -> {
            try {
                var order = orderDecoder.deserialize(record.topic(), record.headers(), record.value());
                onOrders.merge(order.getOrderId(), 1, Integer::sum);
                if (idempotent.contains(order.getStrategy())) {
                    sentAgainAllowed.add(order.getOrderId());
                }
            } catch (RuntimeException e) {
                // one of the bad records sent on purpose
            }
        });

        var reportDecoder = RegistrySerdes.<ExecutionReport>valueSerde(config.registryUrl()).deserializer();
        Map<String, Integer> terminal = new HashMap<>();
        Map<String, BigDecimal> filledPositions = new TreeMap<>();
        readAll(Topics.EXECUTIONS, record -> {
            ExecutionReport report = reportDecoder.deserialize(record.topic(), record.headers(), record.value());
            if (report.getStatus() == ExecutionStatus.FILLED || report.getStatus() == ExecutionStatus.REJECTED) {
                terminal.merge(report.getOrderId(), 1, Integer::sum);
            }
            if (report.getStatus() == ExecutionStatus.FILLED) {
                BigDecimal quantity = report.getFilledQuantity();
                filledPositions.merge(report.getStrategy() + "|" + report.getTicker(),
                        report.getSide() == trading.schema.Side.BUY ? quantity : quantity.negate(), BigDecimal::add);
            }
        });

        long badPrices = countDeadLetters(Topics.PRICES_DLQ);
        long badOrders = countDeadLetters(Topics.ORDERS_DLQ);

        long missing = expected.stream().filter(id -> !onOrders.containsKey(id)).count();
        // an idempotent strategy sends a re-delivered price's order again; a transactional one never writes an id twice
        long duplicated = onOrders.entrySet().stream().filter(e -> e.getValue() > 1 && !sentAgainAllowed.contains(e.getKey())).count();
        long sentAgain = onOrders.entrySet().stream().filter(e -> sentAgainAllowed.contains(e.getKey()))
                .mapToLong(e -> e.getValue() - 1).sum();
        long unexpected = onOrders.keySet().stream().filter(id -> !expected.contains(id)).count();
        long executed = expected.stream().filter(id -> terminal.getOrDefault(id, 0) == 1).count();
        long notExecuted = expected.stream().filter(id -> !terminal.containsKey(id)).count();
        long executedTwice = terminal.values().stream().filter(n -> n > 1).count();
        long executedUnexpected = terminal.keySet().stream().filter(id -> !expected.contains(id)).count();

        long positionsWrong = 0;
        long positionsChecked = 0;
        for (JsonNode position : wholeAnswer(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/positions")) {
            String key = position.path("strategy").asText() + "|" + position.path("ticker").asText();
            positionsChecked++;
            if (position.path("quantity").decimalValue().compareTo(filledPositions.getOrDefault(key, BigDecimal.ZERO)) != 0) {
                positionsWrong++;
                out.println("position " + key + " is " + position.path("quantity") + ", its fills add up to " + filledPositions.get(key));
            }
        }
        // Lost writes: the simulated feed numbers each ticker's prices 1, 2, 3 ... in the order it
        // sends them, and counts one as published only when the broker acknowledged it. So every
        // number up to the last one on the topic must be there, and the topic must hold at least
        // as many as the feed saw acknowledged; and both strategies must have applied each of them.
        JsonNode feed = feedStatus();
        long acknowledged = feed.path("published").asLong();
        long gaps = 0;
        for (var entry : sequences.entrySet()) {
            long gap = entry.getValue().last() - entry.getValue().size();
            if (gap > 0) {
                out.println("prices of " + entry.getKey() + ": " + gap + " sequence numbers below " + entry.getValue().last()
                        + " are not on the topic");
            }
            gaps += gap;
        }
        long lost = gaps + Math.max(0, acknowledged - distinct.size());
        long notApplied = 0;
        for (Service strategy : config.strategies()) {
            JsonNode states = wholeAnswer(config.serviceUrl(strategy, 0) + "/state");
            Map<String, Long> updates = new HashMap<>();
            for (JsonNode state : states) {
                updates.put(state.path("ticker").asText(), state.path("updates").asLong());
            }
            for (var entry : sequences.entrySet()) {
                long applied = updates.getOrDefault(entry.getKey(), -1L);
                if (applied != entry.getValue().size()) {
                    notApplied++;
                    out.println(strategy.name() + " applied " + applied + " prices of " + entry.getKey() + ", the topic holds "
                            + entry.getValue().size());
                }
            }
        }
        return new Report(published[0], distinct.size(), kills, expected.size(), onOrders.size(), missing, duplicated, sentAgain,
                unexpected, executed, notExecuted, executedTwice, executedUnexpected, plan.badRecords(), badPrices,
                plan.badRecords(), badOrders, positionsChecked, positionsWrong, acknowledged, lost, notApplied, brokerFaults,
                dependencyFaults, networkFaults, clockFaults, failovers,
                config.strategies().stream().map(s -> s.strategy().name()).toList());
    }

    /** Dead letters that are our bad records and say why. */
    private long countDeadLetters(String topic) {
        long[] count = {0};
        readAll(topic, record -> {
            String reason = DeadLetters.header(record.headers(), DeadLetters.REASON);
            if (new String(record.value(), StandardCharsets.ISO_8859_1).contains(MARKER) && reason != null && !reason.isBlank()) {
                count[0]++;
            }
        });
        return count[0];
    }

    /** Every committed record of the topic, from the start to its current end. */
    private void readAll(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(record);
                }
            }
        }
    }

    private <V> KafkaConsumer<String, V> consumer(org.apache.kafka.common.serialization.Deserializer<V> values) {
        return new KafkaConsumer<>(config.kafkaClient(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "chaos-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
                new StringDeserializer(), values);
    }

    private JsonNode orderExecutionStats() {
        return getJson(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/stats");
    }

    /** {@code POST /feed/stop} with the risk login; asked again while the feed does not answer (it may be busy). */
    private void stopFeed(Stack stack) {
        String url = config.serviceUrl(Service.PRICE_FEED, 0) + "/feed/stop";
        String last = "no answer";
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", stack.credentials().risk().authorization())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + Texts.clip(response.body(), 300);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted");
            }
            try {
                Thread.sleep(1000); // between attempts, at most ten
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted");
            }
        }
        throw new StackException("chaos: the feed did not take the stop (" + url + "): " + last);
    }

    private JsonNode feedStatus() {
        return getJson(config.serviceUrl(Service.PRICE_FEED, 0) + "/feed");
    }

    /** How long the verification waits for a service that answers "not now" (503 while it restores or rebalances). */
    private static final Duration WHOLE_ANSWER = Duration.ofMinutes(2);

    /**
     * The body of a 200 from {@code url}, asked again while the service answers otherwise: after a
     * fault a service may still be restoring a store when its group has caught up, and says so with
     * a 503 rather than a partial answer. Counting that as an empty answer would report every
     * ticker as not applied.
     */
    private JsonNode wholeAnswer(String url) {
        long start = System.nanoTime();
        long deadline = start + WHOLE_ANSWER.toNanos();
        String last = null;
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    if (last != null) {
                        step("%s answered after %.1f s (before: %s)", url, (System.nanoTime() - start) / 1e9, last);
                    }
                    return JSON.readTree(response.body());
                }
                last = response.statusCode() + " " + Texts.clip(response.body(), 300);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted");
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("chaos: " + url + " gave no whole answer within " + WHOLE_ANSWER.toSeconds()
                        + " s; last: " + last);
            }
            try {
                Thread.sleep(500); // asking again, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted");
            }
        }
    }

    private static JsonNode getJson(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.missingNode();
        } catch (IOException e) {
            return JSON.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.missingNode();
        }
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new StackException("chaos: gave up waiting for " + what + " after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(500); // polling the condition above, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted");
            }
        }
    }

    private void step(String format, Object... args) {
        out.printf("[%6.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    }
}
