package trading.launcher.chaos;

import trading.launcher.stack.Isolation;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackConfig.Service;
import trading.launcher.stack.StackException;
import trading.schema.Texts;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network faults on a three-node cluster, as Trogdor and Jepsen inject them, done with
 * {@link Isolation} while prices flow, each followed by the time until every service is ready:
 * <ul>
 *   <li>a strategy instance cut from every broker past its session and transaction timeouts,
 *       while an operator starts a successor: the successor takes its tasks, and when the link
 *       heals the old instance (a zombie) must find its transaction aborted and its writes fenced;</li>
 *   <li>one broker cut from the other two (clients still reach all three);</li>
 *   <li>the controller quorum split as a majority ring: nodes 1 and 3 cannot talk, node 2 talks
 *       to both, so each sees a majority but not the same one;</li>
 *   <li>a lossy link: a strategy instance's packets to the brokers dropped at random.</li>
 * </ul>
 * Quick mode has the first only; the verification that follows (nothing lost, doubled, executed
 * twice) is the caller's, and is what shows that the zombie's late writes did not count.
 */
final class NetworkFaults {

    /** Past the strategies' 10 s session timeout and Kafka Streams' 10 s transaction timeout. */
    static final Duration STRATEGY_CUT = Duration.ofSeconds(30);
    static final Duration BROKER_CUT = Duration.ofSeconds(30);
    static final Duration LOSSY = Duration.ofSeconds(30);
    static final double LOSS = 0.2;
    /** How long the zombie has, once healed, to show in its log that it was fenced. */
    static final Duration FENCED_WITHIN = Duration.ofSeconds(90);
    /** What Kafka Streams and its clients log when an instance finds it lost its tasks or its producer was fenced. */
    static final Pattern FENCED = Pattern.compile(
            "(?i)(fenced|TaskMigrated|lost all its tasks|UNKNOWN_MEMBER_ID|InvalidProducerEpoch|member id [^ ]* is not valid|CommitFailed)");

    private final Stack stack;
    private final StackConfig config;
    private final Isolation isolation;
    private final BooleanSupplier feedRunning;
    /** The prices the feed has seen acknowledged so far. */
    private final LongSupplier feedAcknowledged;
    private final Consumer<String> step;

    NetworkFaults(Stack stack, Isolation isolation, BooleanSupplier feedRunning, LongSupplier feedAcknowledged,
                  Consumer<String> step) {
        this.stack = stack;
        this.config = stack.config();
        this.isolation = isolation;
        this.feedRunning = feedRunning;
        this.feedAcknowledged = feedAcknowledged;
        this.step = step;
    }

    /**
     * The strategy whose instance is cut off: the first transactional Java one, as what the fault
     * checks is a zombie's transaction fenced. An idempotent instance has no transaction to fence:
     * once healed it rejoins its group, logging at WARN only if a commit happens to fail (seen in
     * one run of two), and its late writes are what the final check covers either way.
     */
    static Service cutOffVictim(StackConfig config) {
        return config.strategies().stream()
                .filter(s -> !s.strategy().external() && !s.strategy().idempotent())
                .findFirst().orElse(config.strategies().get(0));
    }

    List<DependencyFaults.Outcome> run(boolean quick) {
        List<DependencyFaults.Outcome> outcomes = new ArrayList<>();
        outcomes.add(strategyCutOff(cutOffVictim(config)));
        if (!quick) {
            outcomes.add(brokerCutOff(0));
            outcomes.add(majorityRing(0, 2));
            outcomes.add(lossyLink(config.strategies().get(1)));
        }
        return outcomes;
    }

    private DependencyFaults.Outcome strategyCutOff(Service strategy) {
        String victim = Stack.instanceName(strategy, 0);
        String successor = Stack.instanceName(strategy, config.instances());
        String fault = "cut " + victim + " from every broker for " + STRATEGY_CUT.toSeconds()
                + " s (past its session and transaction timeouts); start " + successor + " meanwhile";
        Recovery.begin(fault, feedRunning, step);
        ManagedProcess zombie = stack.service(victim);
        Map<String, String> said = new LinkedHashMap<>();
        long start = System.nanoTime();
        Isolation.Cut cut = isolation.cut(victim, brokerPorts(List.of(0, 1, 2)));
        try {
            stack.startExtraInstance(strategy, config.instances());
            said.put(successor, "ready " + Recovery.seconds(start) + " s after the cut (it holds every task)");
            step.accept(successor + " " + said.get(successor));
            said.put(victim + " while cut off", stack.notReady(victim).orElse("ready (it cannot tell)"));
            Recovery.hold(Duration.ofNanos(Math.max(0, start + STRATEGY_CUT.toNanos() - System.nanoTime())));
        } finally {
            isolation.heal(cut);
        }
        long healed = System.nanoTime();
        long logFrom = Recovery.logSize(zombie.log());
        step.accept("link healed after " + Recovery.seconds(start) + " s");
        Optional<String> fenced = awaitInLog(zombie.log(), logFrom, FENCED, healed + FENCED_WITHIN.toNanos());
        said.put(victim + " once healed", fenced.map(line -> "fenced after " + Recovery.seconds(healed) + " s: " + line)
                .orElse("no sign of fencing in its log within " + FENCED_WITHIN.toSeconds() + " s"));
        step.accept(victim + " " + said.get(victim + " once healed"));
        Recovery.awaitEveryServiceReady(stack, step);
        stack.stopInstance(successor);
        step.accept(successor + " stopped; " + victim + " takes every task again");
        double ready = Recovery.awaitEveryServiceReady(stack, step);
        said.put(victim + " alone again", appliesAgain(strategy, healed));
        step.accept(victim + " " + said.get(victim + " alone again"));
        return new DependencyFaults.Outcome(fault, said, ready);
    }

    private DependencyFaults.Outcome brokerCutOff(int node) {
        List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
        others.remove(Integer.valueOf(node));
        String fault = "cut " + stack.brokerName(node) + " from " + stack.brokerName(others.get(0)) + " and "
                + stack.brokerName(others.get(1)) + " for " + BROKER_CUT.toSeconds() + " s (clients still reach all three)";
        return partitioned(fault, List.of(List.of(node, others.get(0)), List.of(node, others.get(1))));
    }

    private DependencyFaults.Outcome majorityRing(int a, int b) {
        int bridge = 3 - a - b;
        String fault = "split the controller quorum as a majority ring for " + BROKER_CUT.toSeconds() + " s: "
                + stack.brokerName(a) + " and " + stack.brokerName(b) + " cannot talk, " + stack.brokerName(bridge)
                + " talks to both";
        return partitioned(fault, List.of(List.of(a, b)));
    }

    /** Cuts each pair of nodes from each other, both ways, for {@link #BROKER_CUT}. */
    private DependencyFaults.Outcome partitioned(String fault, List<List<Integer>> pairs) {
        Recovery.begin(fault, feedRunning, step);
        long start = System.nanoTime();
        List<Isolation.Cut> cuts = new ArrayList<>();
        try {
            for (List<Integer> pair : pairs) {
                cuts.add(isolation.cut(stack.brokerName(pair.get(0)), brokerPorts(List.of(pair.get(1)))));
                cuts.add(isolation.cut(stack.brokerName(pair.get(1)), brokerPorts(List.of(pair.get(0)))));
            }
            Recovery.hold(BROKER_CUT);
        } finally {
            cuts.forEach(isolation::heal);
        }
        step.accept("links healed after " + Recovery.seconds(start) + " s");
        long healed = System.nanoTime();
        stack.awaitFullyReplicated(stack.broker(pairs.get(0).get(0)), Duration.ofMinutes(3));
        step.accept(String.format("every partition in sync again %.1f s after", Recovery.seconds(healed)));
        return new DependencyFaults.Outcome(fault, Map.of(), Recovery.awaitEveryServiceReady(stack, step));
    }

    private DependencyFaults.Outcome lossyLink(Service strategy) {
        String victim = Stack.instanceName(strategy, 0);
        String fault = String.format("drop %.0f%% of %s's packets to the brokers at random for %d s", LOSS * 100, victim,
                LOSSY.toSeconds());
        Recovery.begin(fault, feedRunning, step);
        long before = Recovery.pricesApplied(config, strategy);
        Isolation.Cut cut = isolation.degrade(victim, brokerPorts(List.of(0, 1, 2)), LOSS);
        long appliedMeanwhile;
        try {
            Recovery.hold(LOSSY);
            appliedMeanwhile = Recovery.pricesApplied(config, strategy) - before;
        } finally {
            isolation.heal(cut);
        }
        Map<String, String> said = Map.of(victim, before < 0 || appliedMeanwhile < 0 ? "did not answer whole"
                : "applied " + appliedMeanwhile + " prices meanwhile");
        step.accept(victim + " " + said.get(victim));
        return new DependencyFaults.Outcome(fault, said, Recovery.awaitEveryServiceReady(stack, step));
    }

    /**
     * How soon after {@code since} the strategy's first instance processes again: its applied
     * prices grow, or, once the feed has finished (on a slow machine it may finish during the
     * fault), it has applied every price the feed saw acknowledged. One that answers but applies
     * nothing while prices wait for it fails the run.
     */
    private String appliesAgain(Service strategy, long since) {
        long deadline = System.nanoTime() + Recovery.READY_AGAIN.toNanos();
        long before = -1;
        long applied = -1;
        long acknowledged = -1;
        while (true) {
            boolean feedDone = !feedRunning.getAsBoolean();
            acknowledged = feedAcknowledged.getAsLong();
            applied = Recovery.pricesApplied(config, strategy);
            if (before >= 0 && applied > before) {
                return "applies prices " + Recovery.seconds(since) + " s after the heal";
            }
            if (feedDone && acknowledged > 0 && applied >= acknowledged) {
                return "has applied all " + acknowledged + " acknowledged prices " + Recovery.seconds(since)
                        + " s after the heal (the feed had finished)";
            }
            if (before < 0) {
                before = applied;
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("chaos: " + Stack.instanceName(strategy, 0) + " applied no price within "
                        + Recovery.READY_AGAIN.toSeconds() + " s of taking its tasks back (applied " + applied
                        + ", the feed saw " + acknowledged + " acknowledged" + (feedDone ? " and has finished)" : ")"));
            }
            Recovery.hold(Duration.ofMillis(200)); // polling its state, bounded by the deadline
        }
    }

    /** The client and controller ports of the given nodes. */
    private List<Integer> brokerPorts(List<Integer> nodes) {
        List<Integer> ports = new ArrayList<>();
        for (int node : nodes) {
            ports.add(config.kafkaPort(node));
            ports.add(config.controllerPort(node));
        }
        return ports;
    }

    /** The first line written to {@code log} after {@code from} that matches, waiting for it until {@code deadline}. */
    private static Optional<String> awaitInLog(Path log, long from, Pattern pattern, long deadline) {
        while (true) {
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                if (file.length() > from) {
                    byte[] tail = new byte[(int) Math.min(file.length() - from, 64 << 20)];
                    file.seek(from);
                    file.readFully(tail);
                    for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
                        Matcher matcher = pattern.matcher(line);
                        if (matcher.find()) {
                            return Optional.of(Texts.clip(line.strip(), 240));
                        }
                    }
                }
            } catch (IOException e) {
                // not there yet
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Recovery.hold(Duration.ofSeconds(1)); // polling the log, bounded by the deadline
        }
    }

}
