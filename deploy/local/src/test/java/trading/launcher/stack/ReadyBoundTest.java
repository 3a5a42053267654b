package trading.launcher.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadyBoundTest {

    @Test
    void aMachineThatStartsTheStackQuicklyKeepsTheUsualBound() {
        assertEquals(Stack.READY_BOUND_AT_LEAST, Stack.readyBound(Duration.ofSeconds(40)));
    }

    @Test
    void aMachineThatStartsTheStackSlowlyGivesALaterStartTwiceAsLong() {
        // seen on a loaded two-core machine: every service ready 154 s after they were started
        assertEquals(Duration.ofSeconds(308), Stack.readyBound(Duration.ofSeconds(154)));
    }
}
