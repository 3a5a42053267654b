package trading.launcher.chaos;

import trading.launcher.stack.Isolation;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.Node;
import trading.schema.Texts;
import trading.schema.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The faults a three-node cluster has in production, done to a running stack while prices flow:
 * each node killed (SIGKILL) and restarted, each stopped cleanly and restarted, the leader of a
 * {@code prices} partition bounced, the transaction coordinator of a strategy frozen (SIGSTOP)
 * for longer than a transaction may last and then thawed (a Jepsen-style pause), and two nodes
 * down at once, when no write can reach two replicas (producers must wait, not lose a write), and
 * (full mode) every node killed at once, and one node's disk filled up.
 * Each fault waits until the cluster lists every node again before the next.
 */
public final class BrokerFaults {

    /** Longer than the strategies' transactions may stay open (Kafka Streams sets 10 s under exactly-once). */
    static final Duration PAUSE = Duration.ofSeconds(15);
    /** How long a node (or two) stays down before it is started again. */
    static final Duration DOWN = Duration.ofSeconds(5);
    /** The node whose log directory's disk fills up, and how long it may take to notice. */
    static final int DISK_FULL_NODE = 2;
    static final long DISK_SIZE = 4L << 30;
    static final Duration DISK_FULL_HALT = Duration.ofMinutes(2);

    private final Stack stack;
    private final StackConfig config;
    private final Consumer<String> step;
    private final List<String> done = new ArrayList<>();

    private final Isolation isolation;

    /** {@code isolation}: null where this machine cannot give a node a disk of its own (then no disk fills up). */
    BrokerFaults(Stack stack, Isolation isolation, Consumer<String> step) {
        this.stack = stack;
        this.isolation = isolation;
        this.config = stack.config();
        this.step = step;
    }

    /**
     * {@code faults}: the full list, or in {@code quick} mode one of each kind that a single node
     * can have plus the pause and the double fault; {@code disk}: one node's disk filled up (where
     * this machine can give it a disk of its own).
     */
    List<String> run(boolean quick, boolean faults, boolean disk) {
        if (config.brokers() < 3) {
            throw new StackException("broker faults need --brokers 3");
        }
        if (faults) {
            for (int node = 0; node < config.brokers(); node++) {
                if (!quick || node == 0) {
                    kill(node, "kill -9");
                }
            }
            for (int node = 0; node < config.brokers(); node++) {
                if (!quick || node == 1) {
                    stop(node);
                }
            }
            if (!quick) {
                int leader = leaderOfPrices(0);
                step.accept("node " + stack.brokerName(leader) + " leads " + Topics.PRICES + "-0");
                kill(leader, "bounce the leader of " + Topics.PRICES + "-0: kill -9");
            }
            pauseCoordinator(stack.config().strategies().get(0).strategy().applicationId());
            twoDown(quick ? 1 : 0, 2);
            if (!quick) {
                allBounced();
            }
        }
        if (disk && isolation != null) {
            logDirFull(DISK_FULL_NODE);
        }
        return List.copyOf(done);
    }

    private void kill(int node, String what) {
        fault(what + " " + stack.brokerName(node));
        stack.broker(node).kill();
        Recovery.hold(DOWN);
        restart(node);
    }

    private void stop(int node) {
        fault("stop " + stack.brokerName(node) + " cleanly (SIGTERM)");
        stack.broker(node).stop(60);
        Recovery.hold(DOWN);
        restart(node);
    }

    private void twoDown(int first, int second) {
        fault("kill -9 " + stack.brokerName(first) + " and " + stack.brokerName(second) + " at once (no quorum, no in-sync pair)");
        stack.broker(first).kill();
        stack.broker(second).kill();
        Recovery.hold(DOWN);
        stack.restartBrokers(first, second);
        step.accept(stack.brokerName(first) + " and " + stack.brokerName(second) + " back, every partition in sync");
    }

    /**
     * Fills the disk of one node's log directory: its next write fails, it takes the directory
     * offline, and with no other directory it stops (Kafka halts a broker whose every log directory
     * failed). The space is freed and the node started again on what it had written.
     */
    private void logDirFull(int node) {
        String name = stack.brokerName(node);
        fault("fill the disk of " + name + "'s log directory");
        ManagedProcess broker = stack.broker(node);
        long start = System.nanoTime();
        Path filler = Isolation.fill(stack.brokerData(node));
        long deadline = start + DISK_FULL_HALT.toNanos();
        while (broker.isAlive() && System.nanoTime() < deadline) {
            Recovery.hold(Duration.ofMillis(500)); // polling the process, bounded by the deadline
        }
        if (broker.isAlive()) {
            step.accept(name + " still runs " + DISK_FULL_HALT.toSeconds() + " s after its disk filled up; killing it");
            broker.kill();
        } else {
            step.accept(name + " stopped itself " + Recovery.seconds(start) + " s after its disk filled up (exit code "
                    + broker.exitCode() + "): " + lastLineMatching(broker, "log dir|No space left|offline"));
        }
        try {
            Files.delete(filler);
        } catch (IOException e) {
            throw new StackException("cannot free the disk of " + name + ": " + e.getMessage(), e);
        }
        restart(node);
    }

    private static String lastLineMatching(ManagedProcess process, String regex) {
        Pattern pattern = Pattern.compile("(?i)" + regex);
        String found = "(nothing about it in its log)";
        for (String line : process.tail(400).split("\\R")) {
            if (pattern.matcher(line).find()) {
                found = Texts.clip(line.strip(), 200);
            }
        }
        return found;
    }

    /** Every node killed at once and started again, as Kafka's streams_broker_bounce_test does last. */
    private void allBounced() {
        int[] nodes = new int[config.brokers()];
        StringBuilder names = new StringBuilder();
        for (int node = 0; node < nodes.length; node++) {
            nodes[node] = node;
            names.append(node == 0 ? "" : ", ").append(stack.brokerName(node));
        }
        fault("kill -9 every node at once (" + names + ")");
        for (int node : nodes) {
            stack.broker(node).kill();
        }
        Recovery.hold(DOWN);
        stack.restartBrokers(nodes);
        step.accept("every node back, every partition in sync");
    }

    /** Freezes the node that coordinates one of the application's transactions, longer than a transaction may last. */
    private void pauseCoordinator(String applicationId) {
        int node = coordinatorOf(applicationId);
        fault("SIGSTOP " + stack.brokerName(node) + ", transaction coordinator of " + applicationId + ", for "
                + PAUSE.toSeconds() + " s");
        ManagedProcess broker = stack.broker(node);
        Stack.signal(broker, "STOP");
        try {
            Recovery.hold(PAUSE);
        } finally {
            Stack.signal(broker, "CONT");
        }
        step.accept(stack.brokerName(node) + " resumed (SIGCONT)");
        awaitAllNodes();
        stack.awaitFullyReplicated(broker, Duration.ofMinutes(3));
        step.accept("every partition in sync again");
    }

    private void restart(int node) {
        stack.restartBrokers(node);
        step.accept(stack.brokerName(node) + " back, every partition in sync");
    }

    private void fault(String what) {
        done.add(what);
        step.accept("fault: " + what);
    }

    private int leaderOfPrices(int partition) {
        try (Admin admin = admin()) {
            Node leader = admin.describeTopics(List.of(Topics.PRICES)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.PRICES).partitions().get(partition).leader();
            return leader.id() - 1;
        } catch (Exception e) {
            throw new StackException("cannot find the leader of " + Topics.PRICES + "-" + partition + ": " + e, e);
        }
    }

    private int coordinatorOf(String applicationId) {
        try (Admin admin = admin()) {
            List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).filter(id -> id.startsWith(applicationId)).toList();
            if (ids.isEmpty()) {
                throw new StackException("no transaction of " + applicationId + " is known to the cluster");
            }
            return admin.describeTransactions(ids.subList(0, 1)).all().get(30, TimeUnit.SECONDS)
                    .values().iterator().next().coordinatorId() - 1;
        } catch (StackException e) {
            throw e;
        } catch (Exception e) {
            throw new StackException("cannot find the transaction coordinator of " + applicationId + ": " + e, e);
        }
    }

    private void awaitAllNodes() {
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= config.brokers()) {
                        return;
                    }
                } catch (Exception e) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new StackException("the cluster did not list all " + config.brokers() + " nodes within 2 minutes");
                }
                Recovery.hold(Duration.ofMillis(500));
            }
        }
    }

    private Admin admin() {
        return config.admin(Duration.ofSeconds(20));
    }
}
