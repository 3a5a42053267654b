package trading.execution.streams;

import com.fasterxml.jackson.databind.JavaType;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.support.peers.PeerClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The other order-execution instances, for answers that span every partition: each instance
 * holds the orders and books of the tickers it owns, so {@code /orders}, {@code /positions} and
 * {@code /pnl} ask the others ({@code ?local=true}, answered from their own stores, through the
 * shared {@link PeerClient}) and merge. With one instance there is no one to ask.
 */
@ApplicationScoped
public class OtherInstances {

    private final KafkaStreams streams;
    private final PeerClient peers;
    private final HostInfo self;

    public OtherInstances(KafkaStreams streams, PeerClient peers,
                          @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.streams = streams;
        this.peers = peers;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** Every other instance that runs the order-execution topology. */
    public List<HostInfo> all() {
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (!instance.hostInfo().equals(self) && instance.stateStoreNames().contains(ExecutionTopology.ORDERS_STORE)) {
                others.add(instance.hostInfo());
            }
        }
        return others;
    }

    public JavaType typeOf(Class<?> type) {
        return peers.typeOf(type);
    }

    public JavaType listOf(Class<?> element) {
        return peers.listOf(peers.typeOf(element));
    }

    /**
     * Every other instance's answer to {@code path} (which must ask for local answers), asked at
     * once; empty for an instance that answered 404. One that does not answer makes the whole
     * answer unavailable (503), never a silently partial one.
     */
    public <T> List<Optional<T>> askAll(String path, JavaType type) {
        return peers.getAll(all(), path, type);
    }
}
