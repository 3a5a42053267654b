package trading.strategy.streams;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the ticker-state store can be queried on this instance (not while Kafka Streams is
 * starting, migrating or restoring it), or when the instance runs but holds only standby copies
 * (it then answers by forwarding). Liveness is the Quarkus Kafka Streams check (its state).
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    private final KafkaStreams streams;

    public StoreReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(StrategyTopology.STATE_STORE).withData("streams", streams.state().name());
        if (streams.state() == KafkaStreams.State.RUNNING && !hasActiveTasks()) {
            // only standby copies here for now: it still answers every query by forwarding
            return response.up().withData("activeTasks", 0).build();
        }
        try {
            streams.store(StoreQueryParameters.fromNameAndType(StrategyTopology.STATE_STORE,
                    QueryableStoreTypes.keyValueStore()));
            return response.up().build();
        } catch (InvalidStateStoreException e) {
            return response.down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }

    /** Whether this instance runs any active task, i.e. owns some tickers (standbys do not answer queries). */
    private boolean hasActiveTasks() {
        return streams.metadataForLocalThreads().stream().anyMatch(thread -> !thread.activeTasks().isEmpty());
    }
}
