package trading.launcher.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** chaos's clock faults on this machine's libfaketime: a process started with an offset reads a wrong clock, no other does. */
class FakeClockTest {

    @Test
    void aProcessStartedWithAnOffsetReadsItsOwnWrongClock() throws Exception {
        FakeClock.unavailable().ifPresent(why -> {
            throw new AssertionError("chaos's clock faults need libfaketime here: " + why);
        });
        for (Duration offset : List.of(Duration.ofHours(1), Duration.ofHours(-1))) {
            long seen = epochSecondsOf(new ProcessBuilder("date", "+%s").redirectErrorStream(true), offset);
            long expected = Instant.now().plus(offset).getEpochSecond();
            assertTrue(Math.abs(seen - expected) < 60, "with " + offset + " the process read " + seen + ", expected about " + expected);
        }
        long unskewed = epochSecondsOf(new ProcessBuilder("date", "+%s").redirectErrorStream(true), Duration.ZERO);
        assertTrue(Math.abs(unskewed - Instant.now().getEpochSecond()) < 60, "without an offset the machine's clock: " + unskewed);
    }

    private static long epochSecondsOf(ProcessBuilder builder, Duration offset) throws Exception {
        if (!offset.isZero()) {
            builder.environment().putAll(FakeClock.environment(offset));
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "date ran: " + output);
        return Long.parseLong(output);
    }
}
