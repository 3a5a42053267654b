package trading.feed;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay's schedule: when each price of a file is due, at each speed. */
class ReplaySpeedTest {

    @Test
    void originalKeepsTheFilesGaps() {
        ReplaySpeed original = ReplaySpeed.parse("original");
        assertEquals(0, original.dueNanos(0));
        assertEquals(1_500_000_000L, original.dueNanos(1_500));
        assertEquals(3_600_000_000_000L, original.dueNanos(3_600_000), "an hour's gap stays an hour");
        assertEquals("original", original.toString());
    }

    @Test
    void aFactorDividesEveryGap() {
        ReplaySpeed ten = ReplaySpeed.parse("10");
        assertEquals(150_000_000L, ten.dueNanos(1_500));
        assertEquals(ten, ReplaySpeed.parse("10x"));
        ReplaySpeed half = ReplaySpeed.parse("0.5");
        assertEquals(3_000_000_000L, half.dueNanos(1_500), "slower than the file");
        // the schedule is relative to the first price: due times grow with the file's, never reorder
        long previous = -1;
        for (long millis = 0; millis < 100_000; millis += 250) {
            long due = ten.dueNanos(millis);
            assertTrue(due > previous);
            previous = due;
        }
    }

    @Test
    void maxDoesNotWait() {
        assertTrue(ReplaySpeed.parse("max").isMax());
        assertEquals(0, ReplaySpeed.parse("MAX").dueNanos(86_400_000));
    }

    @Test
    void anythingElseIsRefusedWithWhatIsAllowed() {
        for (String bad : new String[]{"", "fast", "0", "-2", "NaN", "Infinity", "2y"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ReplaySpeed.parse(bad), bad);
            assertTrue(error.getMessage().contains("original, max or a positive number"), error.getMessage());
        }
    }
}
