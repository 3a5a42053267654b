package trading.launcher.stack;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartPolicyTest {

    private final AtomicLong clock = new AtomicLong();
    private final Supervisor.RestartPolicy policy = new Supervisor.RestartPolicy(clock::get);

    @Test
    void aProcessIsRestartedUntilItCrashLoopsAndAgainOnceTheLoopIsOld() {
        for (int i = 0; i < Supervisor.MAX_RESTARTS; i++) {
            clock.addAndGet(1_000_000_000L);
            assertTrue(policy.mayRestart("strategy-abc-0"), "restart " + (i + 1));
        }
        assertFalse(policy.mayRestart("strategy-abc-0"), "one exit too many within the window: a crash loop");
        assertTrue(policy.mayRestart("order-execution-0"), "counted per process");

        clock.addAndGet(Supervisor.WINDOW.toNanos());
        assertTrue(policy.mayRestart("strategy-abc-0"), "the earlier exits are out of the window");
    }
}
