package trading.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import trading.schema.kafka.DependencyUnavailable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamThreadRecoveryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();
    private final List<Duration> pauses = new ArrayList<>();
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(meters, clock::get, wait -> {
        pauses.add(wait);
        clock.addAndGet(wait.toNanos());
    });
    private final StreamsException failedCommit = new StreamsException("Error encountered trying to commit a transaction",
            new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));

    @Test
    void aFailedThreadIsReplacedAndCounted() {
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(failedCommit));
        assertEquals(1.0, meters.get("streams.threads.replaced").counter().count());
    }

    @Test
    void aThreadThatKeepsFailingShutsTheClientDownAndOneMuchLaterIsReplacedAgain() {
        for (int i = 0; i < StreamThreadRecovery.MAX_REPLACEMENTS; i++) {
            clock.addAndGet(1_000_000_000L);
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(failedCommit), "failure " + (i + 1));
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, recovery.handle(failedCommit),
                "one failure more within the window");
        assertEquals(StreamThreadRecovery.MAX_REPLACEMENTS, meters.get("streams.threads.replaced").counter().count());

        clock.addAndGet(StreamThreadRecovery.WINDOW.toNanos() + 1);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(failedCommit),
                "the earlier failures are out of the window");
    }

    @Test
    void aThreadStoppedByAnAbsentRegistryWaitsLongerEachTimeAndNeverShutsTheClientDown() {
        StreamsException registryAway = new StreamsException("Exception caught in process",
                new DependencyUnavailable("schema registry", "schema 7 for prices: no answer within 5 s", null));
        for (int i = 0; i < StreamThreadRecovery.MAX_REPLACEMENTS * 2; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(registryAway), "outage failure " + (i + 1));
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), pauses.subList(0, 7).stream().map(Duration::toSeconds).toList());
        assertEquals(0.0, meters.get("streams.threads.replaced").counter().count(), "waits are not failures");
        assertEquals(StreamThreadRecovery.MAX_REPLACEMENTS * 2.0, meters.get("streams.dependency.waits").counter().count());
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(failedCommit), "a real failure still counts from zero");

        clock.addAndGet(StreamThreadRecovery.LONGEST_WAIT.toNanos() * 3);
        recovery.handle(registryAway);
        assertEquals(Duration.ofSeconds(1), pauses.get(pauses.size() - 1), "a new outage starts with a short wait again");
    }
}
