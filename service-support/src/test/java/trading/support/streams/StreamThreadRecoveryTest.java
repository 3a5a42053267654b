package trading.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamThreadRecoveryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(meters, clock::get);
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
}
