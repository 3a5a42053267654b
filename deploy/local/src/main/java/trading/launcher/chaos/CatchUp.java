package trading.launcher.chaos;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.StackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits until the pipeline's consumer groups have read everything there is, saying every half
 * minute how far each still has to go; when it gives up it says why: which partitions are behind,
 * whether an open transaction holds them back (a read_committed reader cannot pass the last
 * stable offset), which transactions are open and for how long, and which processes are gone.
 */
public final class CatchUp {

    /** Where a group stands on one partition: its committed offset, the last stable offset and the end. */
    record PartitionLag(String group, TopicPartition partition, long committed, long stable, long end) {
        /** Records not yet read, beyond the one offset the marker that ends a transaction takes. */
        long behind() {
            return Math.max(0, end - committed - 1);
        }

        @Override
        public String toString() {
            return String.format("%s %s committed %,d, stable %,d, end %,d%s", group, partition, committed, stable, end,
                    stable < end && committed >= stable ? " (held back by an open transaction)" : "");
        }
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final Admin admin;
    private final List<String> groups;
    private final Consumer<String> step;
    private final Supplier<List<ManagedProcess>> processes;

    CatchUp(Admin admin, List<String> groups, Consumer<String> step, Supplier<List<ManagedProcess>> processes) {
        this.admin = admin;
        this.groups = groups;
        this.step = step;
        this.processes = processes;
    }

    /**
     * Returns once every group is at most one offset short on every partition and no committed
     * offset moved over three checks in a row (an unread record would be read and committed by then).
     */
    void await(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        Map<TopicPartition, Long> last = Map.of();
        int quiet = 0;
        List<PartitionLag> now = List.of();
        while (true) {
            try {
                now = lags();
            } catch (StackException e) {
                now = List.of(); // the cluster did not answer this time: not caught up, ask again
                quiet = -1;
            }
            Map<TopicPartition, Long> committed = new HashMap<>();
            now.forEach(l -> committed.put(new TopicPartition(l.group() + "/" + l.partition().topic(), l.partition().partition()), l.committed()));
            boolean caughtUp = quiet >= 0 && everyGroupCommitted(now) && now.stream().allMatch(l -> l.behind() == 0);
            quiet = caughtUp && committed.equals(last) ? quiet + 1 : 0;
            last = committed;
            if (quiet >= 3) {
                return;
            }
            long time = System.nanoTime();
            if (time > deadline) {
                throw new StackException("chaos: the consumer groups did not catch up within " + timeout.toSeconds() + " s: "
                        + diagnosis(now));
            }
            if (time > nextProgress) {
                step.accept("still catching up: " + summary(now));
                nextProgress = time + PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(500); // polling the offsets, bounded by the deadline
            } catch (InterruptedException e) {
                // say where things stood (the interrupt is set again once the cluster was asked)
                String diagnosis = diagnosis(now);
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for the consumer groups: " + diagnosis);
            }
        }
    }

    /** Records the groups have not read yet (beyond one offset per partition); very many if a group has committed nothing or the cluster did not answer. */
    public static long behind(Admin admin, List<String> groups) {
        CatchUp catchUp = new CatchUp(admin, groups, step -> { }, List::of);
        try {
            List<PartitionLag> lags = catchUp.lags();
            return catchUp.everyGroupCommitted(lags) ? lags.stream().mapToLong(PartitionLag::behind).sum() : Long.MAX_VALUE / 4;
        } catch (StackException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** Every group's position on every partition it has committed on. */
    List<PartitionLag> lags() {
        try {
            List<PartitionLag> all = new ArrayList<>();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.forEach((tp, offset) -> {
                    if (offset != null) {
                        latest.put(tp, OffsetSpec.latest());
                    }
                });
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(10, TimeUnit.SECONDS);
                for (TopicPartition tp : latest.keySet()) {
                    all.add(new PartitionLag(group, tp, committed.get(tp).offset(), stable.get(tp).offset(), ends.get(tp).offset()));
                }
            }
            return all;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StackException("could not read the consumer groups' offsets: " + e);
        }
    }

    private boolean everyGroupCommitted(List<PartitionLag> lags) {
        return groups.stream().allMatch(group -> lags.stream().anyMatch(l -> l.group().equals(group)));
    }

    private String summary(List<PartitionLag> lags) {
        if (lags.isEmpty()) {
            return "the cluster did not answer";
        }
        List<String> parts = new ArrayList<>();
        for (String group : groups) {
            long behind = lags.stream().filter(l -> l.group().equals(group)).mapToLong(PartitionLag::behind).sum();
            long partitions = lags.stream().filter(l -> l.group().equals(group) && l.behind() > 0).count();
            if (lags.stream().noneMatch(l -> l.group().equals(group))) {
                parts.add(group + " has committed nothing");
                continue;
            }
            parts.add(String.format("%s %,d behind on %d partition(s)", group, behind, partitions));
        }
        return String.join(", ", parts);
    }

    /** Why the groups are behind, in one paragraph that a CI log keeps. */
    String diagnosis(List<PartitionLag> lags) {
        StringBuilder text = new StringBuilder(summary(lags));
        List<PartitionLag> behind = lags.stream().filter(l -> l.behind() > 0).toList();
        if (!behind.isEmpty()) {
            text.append("; behind: ");
            text.append(String.join("; ", behind.stream().limit(8).map(PartitionLag::toString).toList()));
            if (behind.size() > 8) {
                text.append("; and ").append(behind.size() - 8).append(" more");
            }
        }
        text.append("; open transactions: ").append(openTransactions());
        List<String> gone = processes.get().stream().filter(p -> !p.isAlive()).map(ManagedProcess::name).toList();
        text.append("; processes gone: ").append(gone.isEmpty() ? "none" : String.join(", ", gone));
        return text.toString();
    }

    private String openTransactions() {
        try {
            List<String> ids = new ArrayList<>();
            for (TransactionListing listing : admin.listTransactions().all().get(10, TimeUnit.SECONDS)) {
                if (listing.state() != TransactionState.EMPTY && listing.state() != TransactionState.COMPLETE_COMMIT
                        && listing.state() != TransactionState.COMPLETE_ABORT) {
                    ids.add(listing.transactionalId());
                }
            }
            if (ids.isEmpty()) {
                return "none";
            }
            long now = System.currentTimeMillis();
            List<String> described = new ArrayList<>();
            for (Map.Entry<String, TransactionDescription> entry : admin.describeTransactions(ids).all().get(10, TimeUnit.SECONDS).entrySet()) {
                TransactionDescription tx = entry.getValue();
                String age = tx.transactionStartTimeMs().isPresent()
                        ? String.format("open %.1f s", (now - tx.transactionStartTimeMs().getAsLong()) / 1000.0) : "not started";
                described.add(String.format("%s %s on coordinator %d, %s, %d partition(s)", entry.getKey(), tx.state(),
                        tx.coordinatorId(), age, tx.topicPartitions().size()));
            }
            return String.join("; ", described);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "(could not list them: " + e + ")";
        }
    }
}
