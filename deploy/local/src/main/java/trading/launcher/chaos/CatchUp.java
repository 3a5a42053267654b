package trading.launcher.chaos;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.StackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits until the pipeline's consumer groups have read everything there is, saying every half
 * minute how far each still has to go; when it gives up it says why: which partitions are behind,
 * whether an open transaction holds them back (a read_committed reader cannot pass the last
 * stable offset), which transactions are open and for how long, and which processes are gone.
 * What is left to read is counted in records, not offsets: see {@link PartitionLag#behind()}.
 */
public final class CatchUp {

    /**
     * Where a group stands on one partition: its committed offset, the last stable offset, the end,
     * and the records a read_committed reader would still get after the committed offset
     * ({@code unread}, -1 when not counted).
     */
    public record PartitionLag(String group, TopicPartition partition, long committed, long stable, long end, long unread) {
        /**
         * Records not yet read. Offsets alone overstate it: transaction markers and aborted records
         * take offsets but are never handed to the application, and a Streams app that reads only
         * such a tail commits nothing, so its offset stays before them for good (KAFKA-6607, KAFKA-10683).
         */
        public long behind() {
            return unread >= 0 ? unread : Math.max(0, end - committed);
        }

        @Override
        public String toString() {
            return String.format("%s %s committed %,d, stable %,d, end %,d%s", group, partition, committed, stable, end,
                    stable < end && committed >= stable ? " (held back by an open transaction)"
                            : unread >= 0 ? String.format(" (%,d record(s) unread)", unread) : "");
        }
    }

    /** A gap up to this many offsets is read to count its records; a longer one is behind anyway. */
    private static final int COUNTED_GAP = 64;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final Admin admin;
    private final Map<String, Object> clientProperties;
    private final List<String> groups;
    private final Consumer<String> step;
    private final Supplier<List<ManagedProcess>> processes;

    public CatchUp(Admin admin, Map<String, Object> clientProperties, List<String> groups, Consumer<String> step,
            Supplier<List<ManagedProcess>> processes) {
        this.admin = admin;
        this.clientProperties = clientProperties;
        this.groups = groups;
        this.step = step;
        this.processes = processes;
    }

    /**
     * Returns once no group has a record left to read on any partition and no committed offset
     * moved over three checks in a row.
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

    /**
     * About how many records the groups have not read yet, from offsets alone (cheap enough to ask
     * under load; it may count a few markers); very many if a group has committed nothing or the
     * cluster did not answer.
     */
    public static long behind(Admin admin, List<String> groups) {
        CatchUp catchUp = new CatchUp(admin, null, groups, step -> { }, List::of);
        try {
            List<PartitionLag> lags = catchUp.lags();
            return catchUp.everyGroupCommitted(lags) ? lags.stream().mapToLong(PartitionLag::behind).sum() : Long.MAX_VALUE / 4;
        } catch (StackException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** Every group's position on every partition it has committed on. */
    public List<PartitionLag> lags() {
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
                Map<TopicPartition, Long> from = new HashMap<>();
                for (TopicPartition tp : latest.keySet()) {
                    long gap = ends.get(tp).offset() - committed.get(tp).offset();
                    if (gap > 0 && gap <= COUNTED_GAP && stable.get(tp).offset() == ends.get(tp).offset()) {
                        from.put(tp, committed.get(tp).offset());
                    }
                }
                Map<TopicPartition, Long> unread = unread(from, stable);
                for (TopicPartition tp : latest.keySet()) {
                    long gap = ends.get(tp).offset() - committed.get(tp).offset();
                    all.add(new PartitionLag(group, tp, committed.get(tp).offset(), stable.get(tp).offset(),
                            ends.get(tp).offset(), gap <= 0 ? 0 : unread.getOrDefault(tp, -1L)));
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

    /**
     * The records a read_committed reader gets from each partition's offset in {@code from} up to
     * its last stable offset; a partition that cannot be read to there within seconds is left out.
     */
    private Map<TopicPartition, Long> unread(Map<TopicPartition, Long> from, Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable) {
        Map<TopicPartition, Long> counts = new HashMap<>();
        if (from.isEmpty() || clientProperties == null) {
            return counts;
        }
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(from.keySet());
            from.forEach(reader::seek);
            Map<TopicPartition, Long> found = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Set<TopicPartition> open = new HashSet<>(from.keySet());
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < stable.get(tp).offset()) {
                        found.merge(tp, 1L, Long::sum);
                    }
                }
                // the position moves over markers and aborted records too: there the tail is read
                open.removeIf(tp -> reader.position(tp) >= stable.get(tp).offset());
            }
            for (TopicPartition tp : from.keySet()) {
                if (!open.contains(tp)) {
                    counts.put(tp, found.getOrDefault(tp, 0L));
                }
            }
        }
        return counts;
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
