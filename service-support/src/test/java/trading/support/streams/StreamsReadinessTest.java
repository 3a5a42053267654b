package trading.support.streams;

import org.apache.kafka.streams.KafkaStreams.State;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamsReadinessTest {

    private final AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));
    private final StreamsReadiness readiness = new StreamsReadiness(null, clock::get);

    private HealthCheckResponse.Status after(State from, State to, Duration later) {
        readiness.onChange(to, from);
        clock.set(clock.get().plus(later));
        return readiness.call().getStatus();
    }

    @Test
    void readyOnlyWhileProcessing() {
        assertEquals(HealthCheckResponse.Status.DOWN, after(State.CREATED, State.REBALANCING, Duration.ofSeconds(1)), "starting");
        assertEquals(HealthCheckResponse.Status.UP, after(State.REBALANCING, State.RUNNING, Duration.ofSeconds(1)));
        assertEquals(HealthCheckResponse.Status.UP, after(State.RUNNING, State.REBALANCING, Duration.ofSeconds(59)), "a short rebalance");
        clock.set(clock.get().plusSeconds(2));
        assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus(), "rebalancing past the bound");
        assertEquals("rebalancing for longer than 60 s", readiness.call().getData().orElseThrow().get("reason"));
        assertEquals(HealthCheckResponse.Status.UP, after(State.REBALANCING, State.RUNNING, Duration.ZERO));
        assertEquals(HealthCheckResponse.Status.DOWN, after(State.RUNNING, State.PENDING_ERROR, Duration.ZERO));
        assertEquals(HealthCheckResponse.Status.DOWN, after(State.PENDING_ERROR, State.ERROR, Duration.ZERO));
        assertEquals(HealthCheckResponse.Status.DOWN, after(State.RUNNING, State.NOT_RUNNING, Duration.ZERO));
    }
}
