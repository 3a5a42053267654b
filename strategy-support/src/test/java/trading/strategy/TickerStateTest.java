package trading.strategy;

import org.junit.jupiter.api.Test;
import trading.schema.OrderIds;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactWriter;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class TickerStateTest {

    /** Counts prices; signals on every price: BUY when flat, SELL when long. */
    static final class EveryPrice implements SignalRule<Long> {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public Class<Long> indicatorType() {
            return Long.class;
        }

        @Override
        public Long initial() {
            return 0L;
        }

        @Override
        public Evaluation<Long> evaluate(Long count, BigDecimal price, Position position) {
            return new Evaluation<>(count + 1, position == Position.FLAT ? Signal.BUY : Signal.SELL);
        }

        @Override
        public void writeIndicators(Long count, CompactWriter out) {
            out.writeLong(count);
        }

        @Override
        public Long readIndicators(int format, CompactReader in) {
            return in.readLong();
        }

        @Override
        public Map<String, BigDecimal> values(Long count) {
            return Map.of("count", BigDecimal.valueOf(count));
        }
    }

    private final EveryPrice rule = new EveryPrice();

    private static Tick tick(String source, long sequence, String price) {
        return new Tick("AAPL", new BigDecimal(price), source, sequence, 1_000 + sequence);
    }

    @Test
    void aSignalFlipsThePositionAndCarriesADerivedOrderId() {
        TickerState.Step<Long> step = TickerState.initial("AAPL", rule).apply(rule, tick("s", 1, "10"));
        assertEquals(Position.LONG, step.state().position());
        assertEquals(Signal.BUY, step.signal().signal());
        assertEquals(OrderIds.derive("test", "AAPL", "s", 1), step.signal().orderId());
        assertEquals(1, step.state().updates());
        assertEquals(new BigDecimal("10"), step.state().lastPrice());

        TickerState.Step<Long> second = step.state().apply(rule, tick("s", 2, "11"));
        assertEquals(Position.FLAT, second.state().position());
        assertEquals(Signal.SELL, second.signal().signal());
    }

    @Test
    void aRedeliveredPriceChangesNothingButTheSkipCounter() {
        TickerState<Long> once = TickerState.initial("AAPL", rule).apply(rule, tick("s", 1, "10")).state();
        TickerState.Step<Long> again = once.apply(rule, tick("s", 1, "10"));
        assertNull(again.signal());
        assertEquals(1, again.state().skipped());
        assertEquals(once.updates(), again.state().updates());
        assertEquals(once.position(), again.state().position());
        assertSame(once.indicators(), again.state().indicators());
    }

    @Test
    void anOlderPriceOfTheSameSourceIsSkipped() {
        TickerState<Long> state = TickerState.initial("AAPL", rule).apply(rule, tick("s", 5, "10")).state();
        TickerState.Step<Long> older = state.apply(rule, tick("s", 4, "9"));
        assertNull(older.signal());
        assertEquals(1, older.state().skipped());
        assertEquals(5, older.state().lastSequence());
    }

    @Test
    void sourcesAreSequencedIndependently() {
        TickerState<Long> state = TickerState.initial("AAPL", rule).apply(rule, tick("a", 5, "10")).state();
        TickerState.Step<Long> other = state.apply(rule, tick("b", 1, "10"));
        assertNotNull(other.signal());
        assertEquals(2, other.state().updates());
        assertEquals(0, other.state().skipped());
    }

    @Test
    void recentSignalsAreBoundedNewestFirst() {
        TickerState<Long> state = TickerState.initial("AAPL", rule);
        RecentSignals recent = RecentSignals.none();
        for (long sequence = 1; sequence <= 50; sequence++) {
            TickerState.Step<Long> step = state.apply(rule, tick("s", sequence, "10"));
            state = step.state();
            recent = recent.with(step.signal());
        }
        assertEquals(RecentSignals.LIMIT, recent.newestFirst().size());
        assertEquals(50, recent.newestFirst().get(0).sequence());
        assertEquals(50 - RecentSignals.LIMIT + 1, recent.newestFirst().get(RecentSignals.LIMIT - 1).sequence());
        assertEquals(new BigDecimal(50), recent.newestFirst().get(0).indicators().get("count"));
    }

    @Test
    void theSourceMapIsBoundedAndRedeliveriesOfRecentSourcesAreStillIgnored() {
        TickerState<Long> state = TickerState.initial("AAPL", rule);
        int runs = 3 * SourceSequences.LIMIT;
        for (int run = 1; run <= runs; run++) {
            for (long sequence = 1; sequence <= 3; sequence++) {
                state = state.apply(rule, tick("run-" + run, sequence, "10")).state();
            }
        }
        assertEquals(SourceSequences.LIMIT, state.lastSequenceBySource().size());
        assertEquals(3L * runs, state.updates());
        // the current source and every one of the last LIMIT sources: a re-delivery changes nothing
        for (int run = runs - SourceSequences.LIMIT + 1; run <= runs; run++) {
            TickerState.Step<Long> again = state.apply(rule, tick("run-" + run, 2, "10"));
            assertNull(again.signal(), "run-" + run);
            assertEquals(state.updates(), again.state().updates());
            assertEquals(state.skipped() + 1, again.state().skipped());
        }
        // a source resumed after others moves to the front and is not forgotten next
        TickerState<Long> resumed = state.apply(rule, tick("run-" + (runs - SourceSequences.LIMIT + 1), 4, "10")).state();
        resumed = resumed.apply(rule, tick("new", 1, "10")).state();
        assertEquals("new", resumed.lastSequenceBySource().source(0));
        assertEquals("run-" + (runs - SourceSequences.LIMIT + 1), resumed.lastSequenceBySource().source(1));
        assertEquals(4, resumed.lastSequenceBySource().sequence(1));
        assertNull(resumed.apply(rule, tick("run-" + (runs - SourceSequences.LIMIT + 1), 4, "10")).signal());
        // the least recent was dropped: run-(runs - LIMIT + 2) is no longer known
        assertEquals(SourceSequences.LIMIT, resumed.lastSequenceBySource().size());
        assertEquals(false, resumed.lastSequenceBySource().toMap().containsKey("run-" + (runs - SourceSequences.LIMIT + 2)));
    }

    @Test
    void aRedeliveredPriceThatDecidedAnOrderGivesTheSameDecisionAgain() {
        TickerState<Long> state = TickerState.initial("AAPL", rule).apply(rule, tick("s", 1, "10")).state();
        state = state.apply(rule, tick("s", 2, "11")).state();
        TickerState.Step<Long> again = state.apply(rule, tick("s", 1, "10"));
        assertNull(again.signal(), "nothing new is decided");
        assertNotNull(again.again());
        assertEquals(Signal.BUY, again.again().signal());
        assertEquals(OrderIds.derive("test", "AAPL", "s", 1), again.again().orderId());
        assertEquals(new BigDecimal("10"), again.again().price());
        assertEquals(1_001, again.again().eventTimeMillis());
        assertEquals(state.updates(), again.state().updates());
        assertEquals(state.skipped() + 1, again.state().skipped());
        assertEquals(state.recentDecisions(), again.state().recentDecisions());
        // an older price of the source beyond what is kept decides nothing again
        assertNull(state.apply(rule, tick("s", 0, "9")).again());
    }

    @Test
    void theNewestDecisionsAreKeptAndMoreWhenAsked() {
        TickerState<Long> state = TickerState.initial("AAPL", rule);
        for (long sequence = 1; sequence <= 30; sequence++) {
            state = state.apply(rule, tick("s", sequence, "10")).state();
        }
        assertEquals(RecentDecisions.KEPT, state.recentDecisions().size());
        assertEquals(30, state.recentDecisions().newestFirst().get(0).sequence());
        assertNotNull(state.apply(rule, tick("s", 30 - RecentDecisions.KEPT + 1, "10")).again());
        assertNull(state.apply(rule, tick("s", 30 - RecentDecisions.KEPT, "10")).again(), "dropped");

        // while orders are not known acknowledged, the processor asks to keep more
        for (long sequence = 31; sequence <= 50; sequence++) {
            state = state.apply(rule, tick("s", sequence, "10"), RecentDecisions.KEPT + (int) (sequence - 30)).state();
        }
        assertEquals(RecentDecisions.KEPT + 20, state.recentDecisions().size());
        assertNotNull(state.apply(rule, tick("s", 23, "10")).again());
        // and once they are, the next decision cuts back to the usual number
        state = state.apply(rule, tick("s", 51, "10")).state();
        assertEquals(RecentDecisions.KEPT, state.recentDecisions().size());
    }
}
