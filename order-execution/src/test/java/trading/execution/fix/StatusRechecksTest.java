package trading.execution.fix;

import org.junit.jupiter.api.Test;
import quickfix.field.ClOrdID;
import quickfix.fix44.OrderStatusRequest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How often the gateway asks the exchange about an order again, on a clock the test moves. */
class StatusRechecksTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StatusRechecks rechecks = new StatusRechecks(Duration.ofSeconds(1), Duration.ofSeconds(15),
            Duration.ofSeconds(5), now::get);

    private static OrderStatusRequest ask(String orderId) {
        return FixOrders.statusRequest(orderId, '1', "AAPL");
    }

    private static List<String> ids(List<OrderStatusRequest> requests) {
        return requests.stream().map(request -> {
            try {
                return request.getString(ClOrdID.FIELD);
            } catch (quickfix.FieldNotFound e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void anOrderIsAskedAboutAtOnceThenAfterAWaitThatDoublesUntilAnswered() {
        assertTrue(rechecks.arm("o-1", ask("o-1")));
        assertEquals(List.of("o-1"), ids(rechecks.due()));
        assertEquals(List.of(), ids(rechecks.due()), "not again in the same instant");
        advance(Duration.ofMillis(999));
        assertEquals(List.of(), ids(rechecks.due()));
        advance(Duration.ofMillis(1));
        assertEquals(List.of("o-1"), ids(rechecks.due()), "after one interval");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), ids(rechecks.due()), "the wait has doubled to 2 s");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("o-1"), ids(rechecks.due()));
        advance(Duration.ofSeconds(4));
        assertEquals(List.of("o-1"), ids(rechecks.due()));
        advance(Duration.ofSeconds(8));
        assertEquals(List.of("o-1"), ids(rechecks.due()));
        advance(Duration.ofSeconds(15));
        assertEquals(List.of("o-1"), ids(rechecks.due()), "16 s capped at the longest wait, 15 s");
        advance(Duration.ofSeconds(15));
        assertEquals(List.of("o-1"), ids(rechecks.due()));
        rechecks.answered("o-1");
        advance(Duration.ofSeconds(60));
        assertEquals(List.of(), ids(rechecks.due()), "answered: no more asking");
        assertEquals(0, rechecks.size());
    }

    @Test
    void reArmingAWaitingOrderDoesNotMakeItSooner() {
        rechecks.arm("o-1", ask("o-1"));
        rechecks.due();
        assertFalse(rechecks.arm("o-1", ask("o-1")), "already waiting");
        assertEquals(List.of(), ids(rechecks.due()));
        assertTrue(rechecks.waiting("o-1"));
    }

    @Test
    void anOrderAnsweredAndReArmedAtOnceWaitsOneIntervalFromItsLastQuestion() {
        rechecks.arm("o-1", ask("o-1"));
        rechecks.due();
        advance(Duration.ofMillis(300));
        rechecks.answered("o-1");
        assertTrue(rechecks.arm("o-1", ask("o-1")), "a new unreadable report arms it again");
        assertEquals(List.of(), ids(rechecks.due()), "asked 0.3 s ago");
        advance(Duration.ofMillis(700));
        assertEquals(List.of("o-1"), ids(rechecks.due()), "one interval after the last question");
    }

    /**
     * The storm FixPipelineIT met with a hostile exchange: reports the session rejects without
     * saying which order they were about each call for every open order to be asked about, and
     * each answer may be rejected again. However many such reports come, every open order is asked
     * about once per sweep, and sweeps come at most every 5 s.
     */
    @Test
    void unreadableAnswersCannotMultiplyTheQuestions() {
        int open = 150;
        long asked = 0;
        int sweeps = 0;
        for (int tenth = 0; tenth < 100; tenth++) { // 10 s, a poll round every 100 ms
            for (int report = 0; report < 5; report++) { // 50 unidentified rejected reports a second
                rechecks.unidentified();
            }
            if (rechecks.sweepDue() > 0) {
                sweeps++;
                for (int order = 0; order < open; order++) {
                    rechecks.arm("o-" + order, ask("o-" + order));
                }
            }
            List<String> due = ids(rechecks.due());
            asked += due.size();
            due.forEach(rechecks::answered); // every answer readable
            advance(Duration.ofMillis(100));
        }
        assertEquals(2, sweeps, "at 0 s and 5 s");
        assertEquals(open * 2L, asked, "each open order once per sweep");
    }

    @Test
    void aSweepCoversEveryRejectedReportSinceTheLastAndNoneIsLost() {
        assertEquals(0, rechecks.sweepDue(), "nothing rejected: no sweep");
        rechecks.unidentified();
        assertEquals(1, rechecks.sweepDue(), "the first sweep at once");
        rechecks.unidentified();
        rechecks.unidentified();
        advance(Duration.ofSeconds(4));
        assertEquals(0, rechecks.sweepDue(), "4 s after the last sweep: not yet");
        advance(Duration.ofSeconds(1));
        assertEquals(2, rechecks.sweepDue(), "the two rejected meanwhile are covered by the next");
        assertEquals(0, rechecks.sweepDue());
    }

    @Test
    void anOrderAskedAboutByItsOwnReportIsAlsoPaced() {
        for (int i = 0; i < 10; i++) {
            rechecks.arm("o-1", ask("o-1"));
            List<String> due = ids(rechecks.due());
            due.forEach(rechecks::answered);
            assertEquals(i == 0 ? List.of("o-1") : List.of(), due, "round " + i + " within the same second");
            advance(Duration.ofMillis(50));
        }
    }

    @Test
    void intervalsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new StatusRechecks(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, now::get));
        assertThrows(IllegalArgumentException.class,
                () -> new StatusRechecks(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, now::get));
        assertThrows(IllegalArgumentException.class,
                () -> new StatusRechecks(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(16), now::get));
    }
}
