package trading.strategy.streams;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitRoundsTest {

    private final CommitRounds rounds = new CommitRounds(java.time.Duration.ofSeconds(1));

    @Test
    void theFirstRequestBeginsARoundAtOnce() {
        assertEquals(0, rounds.current());
        assertTrue(rounds.beginNext(5_000));
        assertEquals(1, rounds.current());
    }

    @Test
    void theTasksOfAThreadBeginAtMostOneRoundASecondBetweenThem() {
        assertTrue(rounds.beginNext(10_000));
        // twelve tasks asking every 250 ms, each at its own phase, for three seconds
        int begun = 0;
        for (long now = 10_000; now <= 13_000; now += 250) {
            for (int task = 0; task < 12; task++) {
                if (rounds.beginNext(now + task * 20)) {
                    begun++;
                }
            }
        }
        assertEquals(3, begun, "at 11 000, 12 000 and 13 000");
        assertEquals(4, rounds.current());
        assertFalse(rounds.beginNext(13_999), "less than a second after the last one");
    }

    @Test
    void eachThreadHasItsOwnRounds() throws InterruptedException {
        assertTrue(rounds.beginNext(1_000));
        AtomicLong otherThreads = new AtomicLong(-1);
        Thread other = new Thread(() -> otherThreads.set(rounds.beginNext(1_001) ? rounds.current() : -1));
        other.start();
        other.join();
        assertEquals(1, otherThreads.get(), "another thread's first request begins its first round");
        assertEquals(1, rounds.current());
        assertFalse(rounds.beginNext(1_500));
    }
}
