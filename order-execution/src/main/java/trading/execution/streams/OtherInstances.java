package trading.execution.streams;

import com.fasterxml.jackson.databind.JavaType;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.schema.Topics;
import trading.support.KafkaConnection;
import trading.support.Unavailable;
import trading.support.peers.Assignment;
import trading.support.peers.PeerClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The other order-execution instances, for answers that span every partition: each instance
 * holds the orders and books of the tickers it owns, so {@code /orders}, {@code /positions} and
 * {@code /pnl} ask the others ({@code ?local=true}, answered from their own stores, through the
 * shared {@link PeerClient}) and merge. With one instance there is no one to ask.
 */
@ApplicationScoped
public class OtherInstances {

    private final PeerClient peers;
    private final HostInfo self;
    private final Assignment assignment;

    public OtherInstances(KafkaStreams streams, PeerClient peers,
                          @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer,
                          KafkaConnection kafka) {
        this.peers = peers;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.assignment = Assignment.of(streams, Topics.ORDERS, kafka);
    }

    public JavaType typeOf(Class<?> type) {
        return peers.typeOf(type);
    }

    public JavaType listOf(Class<?> element) {
        return peers.listOf(peers.typeOf(element));
    }

    /**
     * The partitions of {@code orders} a local answer covers: those it is asked for
     * ({@code partitions}, from the merging instance) or, asked without them, every partition the
     * group gives this instance; {@link Unavailable} unless this instance can read each of them.
     */
    public Set<Integer> requireLocal(String partitions) {
        Set<Integer> wanted = Assignment.parse(partitions);
        if (wanted == null) {
            wanted = assignment.ownedBy(self);
            if (wanted == null) {
                throw new Unavailable("this instance is not in the group yet");
            }
        }
        assignment.requireQueryable(ExecutionTopology.ORDERS_STORE, wanted);
        return wanted;
    }

    /**
     * Every other instance's answer to {@code path} (which must ask for local answers), asked at
     * once, each for exactly the partitions it owns; empty for an instance that answered 404. The
     * whole answer is unavailable (503), never silently partial, while some partition has no
     * owner, this instance cannot read all of its own, or another does not answer.
     */
    public <T> List<Optional<T>> askAll(String path, JavaType type) {
        Map<HostInfo, Set<Integer>> owners = assignment.requireOwners();
        assignment.requireQueryable(ExecutionTopology.ORDERS_STORE, owners.getOrDefault(self, Set.of()));
        List<HostInfo> others = owners.keySet().stream().filter(host -> !host.equals(self)).toList();
        return peers.getAll(others, host -> path + "&" + Assignment.PARAMETER + "=" + Assignment.format(owners.get(host)), type);
    }
}
