package trading.support.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void fiveFailuresInAMinuteStopTheNameUntilTheOldestIsAMinuteOld() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), throttle.waitFor("risk"), "attempt " + (i + 1) + " is checked");
            throttle.failed("risk");
            clock.millis += 1_000;
        }
        assertEquals(Optional.of(Duration.ofSeconds(55)), throttle.waitFor("risk"));
        assertEquals(Optional.empty(), throttle.waitFor("viewer"), "another name is not held up");
        clock.millis += 55_000;
        assertEquals(Optional.empty(), throttle.waitFor("risk"), "the first failure left the window");
    }

    @Test
    void aSuccessClearsTheNamesFailures() {
        LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(1), new Hands());
        throttle.failed("risk");
        throttle.succeeded("risk");
        throttle.failed("risk");
        assertEquals(Optional.empty(), throttle.waitFor("risk"));
    }

    @Test
    void aFloodOfMadeUpNamesKeepsABoundedMemory() {
        LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), new Hands());
        for (int i = 0; i < LoginThrottle.MAX_NAMES * 3; i++) {
            throttle.failed("name-" + i);
        }
        assertTrue(throttle.namesFollowed() <= LoginThrottle.MAX_NAMES, "followed " + throttle.namesFollowed());
    }
}
