package trading.launcher.stack;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@code ./pipeline up} does when one of its processes exits although nobody asked it to:
 * starts it again on its data, as compose's {@code restart: on-failure} and a Kubernetes
 * Deployment do. A process that keeps exiting is a crash loop, not a fault that passes: after
 * {@value #MAX_RESTARTS} restarts within {@link #WINDOW} it is left stopped (Kubernetes backs
 * off instead), and the summary says so with its log. The services come back on their own; a
 * Kafka node and the registry come back on their data, so nothing acknowledged is lost.
 */
public final class Supervisor {

    static final int MAX_RESTARTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** The policy alone: whether a process that exited may be started again now. */
    static final class RestartPolicy {
        private final LongSupplier nanoClock;
        private final Map<String, Deque<Long>> restarts = new HashMap<>();

        RestartPolicy(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
        }

        /** True, and counted, when {@code name} has been restarted fewer than {@value #MAX_RESTARTS} times within the window. */
        boolean mayRestart(String name) {
            long now = nanoClock.getAsLong();
            Deque<Long> recent = restarts.computeIfAbsent(name, n -> new ArrayDeque<>());
            while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW.toNanos()) {
                recent.removeFirst();
            }
            if (recent.size() >= MAX_RESTARTS) {
                return false;
            }
            recent.addLast(now);
            return true;
        }

        int restarts(String name) {
            return restarts.getOrDefault(name, new ArrayDeque<>()).size();
        }
    }

    private final Stack stack;
    private final RestartPolicy policy = new RestartPolicy(System::nanoTime);
    private final Map<String, Integer> restarted = new HashMap<>();
    private final List<String> givenUp = new ArrayList<>();

    public Supervisor(Stack stack) {
        this.stack = stack;
    }

    /** Starts again what exited; returns a line for each process it found dead. */
    public List<String> check() {
        List<String> said = new ArrayList<>();
        for (ManagedProcess process : stack.processes()) {
            // a strategy that could not start is not ready for a reason a restart does not change
            if (process.isAlive() || givenUp.contains(process.name()) || stack.cannotStart().containsKey(process.name())) {
                continue;
            }
            String name = process.name();
            if (!policy.mayRestart(name)) {
                givenUp.add(name);
                said.add(String.format("%s exited again (code %d): %d restarts within %d min, so it is left stopped. Last lines of %s:%n%s",
                        name, process.exitCode(), MAX_RESTARTS, WINDOW.toMinutes(), process.log(), process.tail(20)));
                continue;
            }
            said.add(String.format("%s exited (code %d); starting it again (restart %d; its log: %s)", name, process.exitCode(),
                    policy.restarts(name), process.log()));
            try {
                restart(process);
                restarted.merge(name, 1, Integer::sum);
            } catch (StackException e) {
                said.add(name + " could not be started again: " + e.getMessage());
            }
        }
        return said;
    }

    private void restart(ManagedProcess process) {
        String name = process.name();
        if (name.equals("apicurio-registry")) {
            stack.restartRegistry();
            return;
        }
        for (int node = 0; node < stack.config().brokers(); node++) {
            if (name.equals(stack.brokerName(node))) {
                stack.restartBrokers(node);
                return;
            }
        }
        stack.startAgain(name);
    }

    /** For the summary line: what was restarted and how often, and what was given up on; empty when nothing was. */
    public String summary() {
        StringBuilder line = new StringBuilder();
        if (!restarted.isEmpty()) {
            line.append("  restarted ");
            restarted.forEach((name, times) -> line.append(name).append(" x").append(times).append(' '));
        }
        if (!givenUp.isEmpty()) {
            line.append("  LEFT STOPPED (crash loop) ").append(String.join(", ", givenUp));
        }
        return line.toString().stripTrailing();
    }
}
