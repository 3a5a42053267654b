package trading.launcher.chaos;

import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Faults of what the services depend on, done to a running stack while prices flow, each followed
 * by the time until every service instance is ready again:
 * <ul>
 *   <li>the schema registry paused (SIGSTOP) past every cache and time limit (the serde's 30 s
 *       refresh, the 5 s lookup limit, the 10 s transactions), while a Java strategy and the Python
 *       one are killed and started again, so that they start with nothing cached;</li>
 *   <li>the registry killed (SIGKILL) and started again on its data, while another strategy starts;</li>
 *   <li>a strategy instance paused (SIGSTOP) past its session and transaction timeouts, then
 *       resumed: a zombie whose late writes the coordinator must refuse;</li>
 *   <li>on one node, the broker killed for 70 s (30 s in quick mode) while a strategy starts.</li>
 * </ul>
 * While the registry is away, the instances started meanwhile must say so on their readiness; the
 * verification that follows (nothing lost, doubled or dead-lettered by mistake) is the caller's.
 */
public final class DependencyFaults {

    /** Past the serde's old 30 s refresh, the lookups' 5 s limit and the 10 s transaction timeout. */
    static final Duration REGISTRY_PAUSE = Duration.ofSeconds(45);
    static final Duration REGISTRY_DOWN = Duration.ofSeconds(20);
    /** Past the strategies' 10 s session timeout and Kafka Streams' 10 s transaction timeout. */
    static final Duration STRATEGY_PAUSE = Duration.ofSeconds(25);
    /** As in Kafka's StreamsBrokerDownResilienceTest; quick mode (CI) keeps it shorter. */
    static final Duration BROKER_DOWN = Duration.ofSeconds(70);
    static final Duration BROKER_DOWN_QUICK = Duration.ofSeconds(30);

    /** One fault: what was done, what the instances started meanwhile said, and how long until all were ready. */
    public record Outcome(String fault, Map<String, String> saidMeanwhile, double secondsToReady) {
        @Override
        public String toString() {
            return String.format("%s: every service ready %.1f s after%s", fault, secondsToReady,
                    saidMeanwhile.isEmpty() ? "" : "; meanwhile " + saidMeanwhile);
        }
    }


    private final Stack stack;
    private final StackConfig config;
    private final Consumer<String> step;
    private final boolean quick;
    private final BooleanSupplier feedRunning;

    /** {@code feedRunning}: whether prices still flow; a fault that would meet idle services stops the run. */
    DependencyFaults(Stack stack, boolean quick, BooleanSupplier feedRunning, Consumer<String> step) {
        this.stack = stack;
        this.config = stack.config();
        this.quick = quick;
        this.feedRunning = feedRunning;
        this.step = step;
    }

    private void begin(String fault) {
        Recovery.begin(fault, feedRunning, step);
    }

    /** The faults of these phases: the registry's (REGISTRY), the paused strategy (KILLS), the single broker's (BROKERS, one node). */
    List<Outcome> run(Set<Phase> phases) {
        List<StackConfig.Service> strategies = config.strategies();
        StackConfig.Service java = strategies.stream().filter(s -> !s.strategy().external()).reduce((a, b) -> b).orElseThrow();
        List<String> startedWhilePaused = new ArrayList<>(List.of(Stack.instanceName(java, 0)));
        strategies.stream().filter(s -> s.strategy().external()).findFirst()
                .ifPresent(python -> startedWhilePaused.add(Stack.instanceName(python, 0)));
        String startedWhileDown = Stack.instanceName(strategies.get(0), 0);

        List<Outcome> outcomes = new ArrayList<>();
        if (phases.contains(Phase.REGISTRY)) {
            outcomes.add(registryPaused(startedWhilePaused));
            outcomes.add(registryKilled(startedWhileDown));
        }
        if (phases.contains(Phase.KILLS)) {
            outcomes.add(strategyPaused(strategies.get(0)));
        }
        if (phases.contains(Phase.BROKERS) && config.brokers() == 1) {
            outcomes.add(brokerAway(Stack.instanceName(strategies.get(1), 0)));
        }
        return outcomes;
    }

    /** The only broker killed, and a strategy started while it is away; on three nodes BrokerFaults does the rest. */
    private Outcome brokerAway(String victim) {
        Duration down = quick ? BROKER_DOWN_QUICK : BROKER_DOWN;
        String fault = "kill -9 kafka (the only broker), started again " + down.toSeconds() + " s later; kill -9 and start "
                + victim + " meanwhile";
        begin(fault);
        long start = System.nanoTime();
        stack.broker(0).kill();
        stack.kill(victim);
        stack.startAgain(victim);
        Map<String, String> said = awaitSaying(List.of(victim), null, start + down.toNanos());
        stack.restartBrokers(0);
        step.accept("kafka back after " + Recovery.seconds(start) + " s");
        return new Outcome(fault, said, Recovery.awaitEveryServiceReady(stack, step));
    }

    private Outcome registryPaused(List<String> victims) {
        String fault = "SIGSTOP apicurio-registry for " + REGISTRY_PAUSE.toSeconds() + " s; kill -9 and start "
                + String.join(", ", victims) + " meanwhile";
        begin(fault);
        ManagedProcess registry = stack.registry();
        long start = System.nanoTime();
        Map<String, String> said;
        Stack.signal(registry, "STOP");
        try {
            for (String victim : victims) {
                stack.kill(victim);
                stack.startAgain(victim);
            }
            said = awaitSaying(victims, "registry", start + REGISTRY_PAUSE.toNanos());
        } finally {
            Stack.signal(registry, "CONT");
        }
        step.accept("apicurio-registry resumed (SIGCONT) after " + Recovery.seconds(start) + " s");
        return new Outcome(fault, said, Recovery.awaitEveryServiceReady(stack, step));
    }

    private Outcome registryKilled(String victim) {
        String fault = "kill -9 apicurio-registry, started again " + REGISTRY_DOWN.toSeconds() + " s later; kill -9 and start "
                + victim + " meanwhile";
        begin(fault);
        long start = System.nanoTime();
        stack.registry().kill();
        stack.kill(victim);
        stack.startAgain(victim);
        Map<String, String> said = awaitSaying(List.of(victim), "registry", start + REGISTRY_DOWN.toNanos());
        stack.restartRegistry();
        step.accept("apicurio-registry back after " + Recovery.seconds(start) + " s");
        return new Outcome(fault, said, Recovery.awaitEveryServiceReady(stack, step));
    }

    private Outcome strategyPaused(StackConfig.Service strategy) {
        String victim = Stack.instanceName(strategy, 0);
        String fault = "SIGSTOP " + victim + " for " + STRATEGY_PAUSE.toSeconds() + " s (past its session and transaction timeouts)";
        begin(fault);
        ManagedProcess process = stack.service(victim);
        long before = Recovery.pricesApplied(config, strategy);
        Stack.signal(process, "STOP");
        try {
            Recovery.hold(STRATEGY_PAUSE);
        } finally {
            Stack.signal(process, "CONT");
        }
        long resumed = System.nanoTime();
        step.accept(victim + " resumed (SIGCONT)");
        // ready at once (it does not know it was away): what counts is that it applies prices again,
        // after its stale transaction was refused and it rejoined the group
        long deadline = resumed + Recovery.READY_AGAIN.toNanos();
        while (Recovery.pricesApplied(config, strategy) <= before) {
            if (System.nanoTime() > deadline) {
                throw new StackException("chaos: " + victim + " applied no price within " + Recovery.READY_AGAIN.toSeconds() + " s of SIGCONT");
            }
            Recovery.hold(Duration.ofMillis(500)); // polling its state, bounded by the deadline
        }
        step.accept(String.format("%s applies prices again %.1f s after SIGCONT", victim, Recovery.seconds(resumed)));
        return new Outcome(fault, Map.of(), Recovery.awaitEveryServiceReady(stack, step));
    }

    /**
     * Until {@code deadline}: what each victim's readiness says. Kept for each is the first answer
     * that names {@code about} (the instance met the outage and says so), else (or when
     * {@code about} is null) its last answer.
     */
    private Map<String, String> awaitSaying(List<String> victims, String about, long deadline) {
        Map<String, String> said = new LinkedHashMap<>();
        List<String> named = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (String victim : victims) {
                if (!named.contains(victim)) {
                    String reason = stack.notReady(victim).orElse("ready");
                    said.put(victim, reason);
                    if (about != null && reason.contains(about)) {
                        named.add(victim);
                        step.accept(victim + " says: " + reason);
                    }
                }
            }
            Recovery.hold(Duration.ofSeconds(1)); // polling readiness until the fault's time is up
        }
        return said;
    }
}
