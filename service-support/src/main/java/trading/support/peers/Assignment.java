package trading.support.peers;

import jakarta.ws.rs.BadRequestException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import trading.support.KafkaConnection;
import trading.support.Unavailable;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which instance owns which partitions of a Streams application's input topic: what a merged
 * answer must cover to be whole. The merging instance takes the owners from Kafka Streams
 * metadata and asks each for exactly its partitions ({@code ?local=true&partitions=0,5});
 * an instance answers only when it can read every one of them ({@link #requireQueryable}), so
 * a partition still restoring, or handed elsewhere meanwhile, makes the answer 503, never short.
 */
public final class Assignment {

    /** The query parameter that names the partitions a local answer must cover. */
    public static final String PARAMETER = "partitions";

    private final KafkaStreams streams;
    private final String topic;
    private final Supplier<Admin> admin;
    private volatile int partitionCount;

    /** @param admin opens an admin client, once, to count the topic's partitions */
    public Assignment(KafkaStreams streams, String topic, Supplier<Admin> admin) {
        this.streams = streams;
        this.topic = topic;
        this.admin = admin;
    }

    /**
     * The assignment of {@code topic} as seen by {@code streams}, counting the topic's partitions
     * with an admin client on this service's Kafka connection.
     */
    public static Assignment of(KafkaStreams streams, String topic, KafkaConnection kafka) {
        return new Assignment(streams, topic, () -> Admin.create(kafka.clientProperties()));
    }

    /** Each instance's partitions of the topic, or null while some partition has no owner (a rebalance). */
    public Map<HostInfo, Set<Integer>> ownersOfEveryPartition() {
        Map<HostInfo, Set<Integer>> owners = new HashMap<>();
        Set<Integer> owned = new HashSet<>();
        for (StreamsMetadata instance : metadata()) {
            Set<Integer> partitions = partitionsOf(instance.topicPartitions());
            if (!partitions.isEmpty()) {
                owners.put(instance.hostInfo(), partitions);
                owned.addAll(partitions);
            }
        }
        return owned.size() >= partitionCount() ? owners : null;
    }

    /** {@link #ownersOfEveryPartition}, or {@link Unavailable} naming what is missing. */
    public Map<HostInfo, Set<Integer>> requireOwners() {
        Map<HostInfo, Set<Integer>> owners = ownersOfEveryPartition();
        if (owners == null) {
            throw new Unavailable("some partition of " + topic + " has no owner right now (a rebalance)");
        }
        return owners;
    }

    /** The partitions the group's assignment gives {@code instance}, or null when it is not in the group. */
    public Set<Integer> ownedBy(HostInfo instance) {
        return metadata().stream().filter(metadata -> metadata.hostInfo().equals(instance))
                .findFirst().map(metadata -> partitionsOf(metadata.topicPartitions())).orElse(null);
    }

    /** The partitions this instance keeps standby copies of. */
    public Set<Integer> standbysOf(HostInfo instance) {
        return metadata().stream().filter(metadata -> metadata.hostInfo().equals(instance))
                .findFirst().map(metadata -> partitionsOf(metadata.standbyTopicPartitions())).orElse(Set.of());
    }

    /** The group's instances as this client knows them; {@link Unavailable} while Kafka Streams is not running. */
    private java.util.Collection<StreamsMetadata> metadata() {
        try {
            return streams.metadataForAllStreamsClients();
        } catch (InvalidStateStoreException | IllegalStateException e) {
            // not started yet, or shut down, or in error: not now (503), not a fault of the request (500)
            throw new Unavailable("Kafka Streams is " + streams.state() + ": " + e.getMessage());
        }
    }

    /**
     * Throws {@link Unavailable} unless every one of {@code partitions} of {@code store} is active
     * and running on this instance, so that reading the store's local contents covers them all.
     */
    public void requireQueryable(String store, Set<Integer> partitions) {
        for (int partition : partitions) {
            try {
                // store() hands back a lazy view; only a read finds out whether the partition's task
                // is here and running (not restoring, not handed elsewhere)
                streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())
                        .withPartition(partition)).approximateNumEntries();
            } catch (InvalidStateStoreException e) {
                throw new Unavailable("partition " + partition + " of " + store + " is not queryable here now: " + e.getMessage());
            }
        }
    }

    /** {@code 0,3,5}: the value of {@link #PARAMETER}. */
    public static String format(Set<Integer> partitions) {
        return partitions.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The partitions named by {@link #PARAMETER}; null when absent; 400 when malformed. */
    public static Set<Integer> parse(String list) {
        if (list == null) {
            return null;
        }
        Set<Integer> partitions = new TreeSet<>();
        for (String part : list.split(",", -1)) {
            try {
                int partition = Integer.parseInt(part.strip());
                if (partition < 0) {
                    throw new NumberFormatException();
                }
                partitions.add(partition);
            } catch (NumberFormatException e) {
                throw new BadRequestException(PARAMETER + " must be a comma-separated list of partition numbers, was '" + list + "'");
            }
        }
        return partitions;
    }

    private Set<Integer> partitionsOf(Set<TopicPartition> partitions) {
        Set<Integer> result = new TreeSet<>();
        partitions.stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> result.add(tp.partition()));
        return result;
    }

    private int partitionCount() {
        if (partitionCount == 0) {
            try (Admin client = admin.get()) {
                partitionCount = client.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic).partitions().size();
            } catch (ExecutionException | TimeoutException e) {
                throw new Unavailable("cannot describe " + topic + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted");
            }
        }
        return partitionCount;
    }
}
