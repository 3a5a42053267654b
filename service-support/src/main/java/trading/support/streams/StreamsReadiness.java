package trading.support.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Ready while the service's Kafka Streams client processes: RUNNING, or REBALANCING for less than
 * {@link #REBALANCE_BOUND} after it has run once. A client that stopped (ERROR, NOT_RUNNING,
 * PENDING_SHUTDOWN) or that rebalances for longer is not ready, so the launcher, compose and
 * Kubernetes see a service that answers HTTP but no longer processes. Quarkus sets this bean as the
 * client's state listener, so the time a rebalance began is known exactly.
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck, KafkaStreams.StateListener {

    static final Duration REBALANCE_BOUND = Duration.ofSeconds(60);

    private final Instance<KafkaStreams> streams;
    private final Supplier<Instant> clock;
    private volatile KafkaStreams.State state;
    private volatile Instant since = Instant.now();
    private volatile boolean ranOnce;

    @Inject
    public StreamsReadiness(Instance<KafkaStreams> streams) {
        this(streams, Instant::now);
    }

    StreamsReadiness(Instance<KafkaStreams> streams, Supplier<Instant> clock) {
        this.streams = streams;
        this.clock = clock;
    }

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        state = newState;
        since = clock.get();
        if (newState == KafkaStreams.State.RUNNING) {
            ranOnce = true;
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka-streams-processing");
        if (state == null && !streams.isResolvable()) {
            return response.up().withData("streams", "none in this service").build();
        }
        KafkaStreams.State now = state != null ? state : streams.get().state();
        Duration inState = Duration.between(since, clock.get());
        response.withData("state", now.name()).withData("for", inState.toSeconds() + " s");
        if (now == KafkaStreams.State.RUNNING) {
            return response.up().build();
        }
        if (now == KafkaStreams.State.REBALANCING && ranOnce && inState.compareTo(REBALANCE_BOUND) < 0) {
            return response.up().build();
        }
        String reason = switch (now) {
            case REBALANCING -> ranOnce ? "rebalancing for longer than " + REBALANCE_BOUND.toSeconds() + " s" : "starting";
            case CREATED -> "starting";
            case ERROR, PENDING_ERROR -> "stopped by an error (see the log); restart the instance";
            default -> "not processing";
        };
        return response.down().withData("reason", reason).build();
    }
}
