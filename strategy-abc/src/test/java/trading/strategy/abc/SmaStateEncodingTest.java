package trading.strategy.abc;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.Tick;
import trading.strategy.TickerState;
import trading.strategy.streams.TickerStateCodec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** strategy-abc's ticker state in the store: the compact form, and state an earlier release wrote as JSON. */
class SmaStateEncodingTest {

    private final SmaCrossover rule = new SmaCrossover(5, 20);
    private final Serde<TickerState<SmaCrossover.Indicators>> serde = TickerStateCodec.serde(rule);

    private byte[] encode(TickerState<SmaCrossover.Indicators> state) {
        return serde.serializer().serialize("t", state);
    }

    private TickerState<SmaCrossover.Indicators> decode(byte[] bytes) {
        return serde.deserializer().deserialize("t", bytes);
    }

    @Test
    void everyStateOfARunReadsBackEqualAndSmall() {
        Random random = new Random(7);
        TickerState<SmaCrossover.Indicators> state = TickerState.initial("AAPL", rule);
        BigDecimal price = new BigDecimal("187.25000000");
        int largest = 0;
        for (long sequence = 1; sequence <= 500; sequence++) {
            price = price.add(BigDecimal.valueOf(random.nextInt(201) - 100, 2));
            String source = sequence % 100 == 0 ? "replay:history.csv" : "sim-42-1700000000000";
            state = state.apply(rule, new Tick("AAPL", price, source, sequence, 1_700_000_000_000L + sequence)).state();
            byte[] bytes = encode(state);
            largest = Math.max(largest, bytes.length);
            assertEquals(state, decode(bytes), "after price " + sequence);
        }
        // a window of 20 prices, two sums, two sources and 8 recent decisions (about 12 bytes each):
        // a few hundred bytes, not kilobytes of JSON
        assertTrue(largest < 480, "largest state " + largest + " bytes");
    }

    @Test
    void decimalsKeepTheirScaleAndHugeValuesSurvive() {
        BigDecimal huge = new BigDecimal("123456789012345678901234567890.123456789012345678");
        SmaCrossover.Indicators indicators = new SmaCrossover.Indicators(
                List.of(new BigDecimal("1.10000000"), new BigDecimal("-2"), huge), huge, new BigDecimal("0E-8"), -1);
        TickerState<SmaCrossover.Indicators> state = new TickerState<>("BRK.B", new BigDecimal("1.10000000"), "s", 3, -5,
                3, 1, Position.LONG, Signal.BUY, indicators, trading.strategy.SourceSequences.none().with("s", 3),
                new trading.strategy.RecentDecisions(List.of(
                        new trading.strategy.RecentDecisions.Decision(Signal.BUY, new BigDecimal("1.10000000"), "s", 3, -5),
                        new trading.strategy.RecentDecisions.Decision(Signal.SELL, huge, "other", 1, 7))));
        TickerState<SmaCrossover.Indicators> back = decode(encode(state));
        assertEquals(state, back);
        assertEquals(8, back.lastPrice().scale());
        assertEquals(huge, back.indicators().fastSum());
    }

    /** Exactly the JSON the previous release's store held for a ticker (Jackson, record components in order). */
    private static final String PREVIOUS_RELEASE_JSON = "{\"ticker\":\"AAPL\",\"lastPrice\":187.40000000,"
            + "\"lastSource\":\"sim-42-1700000000000\",\"lastSequence\":21,\"lastEventTimeMillis\":1700000000021,"
            + "\"updates\":21,\"skipped\":2,\"position\":\"LONG\",\"lastSignal\":\"BUY\",\"indicators\":{\"window\":"
            + "[187.30000000,187.10000000,187.20000000,187.30000000,187.40000000,187.50000000,187.20000000,"
            + "187.10000000,187.00000000,186.90000000,186.80000000,186.90000000,187.00000000,187.10000000,"
            + "187.20000000,187.30000000,187.40000000,187.50000000,187.60000000,187.40000000],"
            + "\"fastSum\":937.20000000,\"slowSum\":3744.10000000,\"previousCmp\":1},"
            + "\"lastSequenceBySource\":{\"replay:old.csv\":7,\"sim-42-1700000000000\":21}}";

    @Test
    void stateWrittenAsJsonByThePreviousReleaseStillLoadsAndGoesOn() {
        TickerState<SmaCrossover.Indicators> old = decode(PREVIOUS_RELEASE_JSON.getBytes(StandardCharsets.UTF_8));
        assertEquals("AAPL", old.ticker());
        assertEquals(new BigDecimal("187.40000000"), old.lastPrice());
        assertEquals(21, old.updates());
        assertEquals(2, old.skipped());
        assertEquals(Position.LONG, old.position());
        assertEquals(20, old.indicators().window().size());
        assertEquals(new BigDecimal("937.20000000"), old.indicators().fastSum());
        assertEquals(1, old.indicators().previousCmp());
        assertTrue(old.lastSequenceBySource().applied("replay:old.csv", 7));
        assertTrue(old.lastSequenceBySource().applied("sim-42-1700000000000", 21));

        // a re-delivery is still recognised; the next price applies and is written in the new form
        assertNull(old.apply(rule, new Tick("AAPL", new BigDecimal("187.4"), "sim-42-1700000000000", 21, 0)).signal());
        TickerState<SmaCrossover.Indicators> next = old.apply(rule,
                new Tick("AAPL", new BigDecimal("187.50000000"), "sim-42-1700000000000", 22, 1_700_000_000_022L)).state();
        byte[] rewritten = encode(next);
        assertTrue(rewritten[0] != '{');
        assertEquals(next, decode(rewritten));
    }

    @Test
    void anOldUnboundedSourceMapIsCutToTheBoundKeepingTheLastSource() {
        StringBuilder sources = new StringBuilder();
        for (int run = 1; run <= 40; run++) {
            sources.append(run == 1 ? "" : ",").append("\"run-").append(run).append("\":").append(run);
        }
        String json = "{\"ticker\":\"MSFT\",\"lastPrice\":10,\"lastSource\":\"run-1\",\"lastSequence\":1,"
                + "\"updates\":40,\"skipped\":0,\"position\":\"FLAT\",\"indicators\":{\"window\":[10],\"fastSum\":10,"
                + "\"slowSum\":10},\"lastSequenceBySource\":{" + sources + "}}";
        TickerState<SmaCrossover.Indicators> old = decode(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(trading.strategy.SourceSequences.LIMIT, old.lastSequenceBySource().size());
        assertEquals("run-1", old.lastSequenceBySource().source(0));
        assertTrue(old.lastSequenceBySource().applied("run-1", 1));
    }

    @Test
    void stateOfFormatOneIsReadWithNoDecisionsAndTheNextOrderIsKept() {
        TickerState<SmaCrossover.Indicators> state = TickerState.initial("AAPL", rule);
        for (long sequence = 1; sequence <= 10; sequence++) {
            state = state.apply(rule, new Tick("AAPL", BigDecimal.valueOf(100 + sequence), "s", sequence, sequence)).state();
        }
        assertEquals(0, state.recentDecisions().size(), "no crossing yet");
        byte[] current = encode(state);
        // format 1 is format 2 without the decisions: no count at the end (a count of 0 is one byte)
        byte[] formatOne = java.util.Arrays.copyOf(current, current.length - 1);
        formatOne[0] = 1;
        TickerState<SmaCrossover.Indicators> old = decode(formatOne);
        assertEquals(state, old);
        // down to 1 until the slow average is defined and above the fast one, then up: a BUY
        TickerState<SmaCrossover.Indicators> next = old;
        long sequence = 10;
        for (int i = 0; i < 25 && next.recentDecisions().size() == 0; i++) {
            sequence++;
            next = next.apply(rule, new Tick("AAPL", BigDecimal.ONE, "s", sequence, sequence)).state();
        }
        for (int i = 0; i < 25 && next.recentDecisions().size() == 0; i++) {
            sequence++;
            next = next.apply(rule, new Tick("AAPL", BigDecimal.valueOf(500), "s", sequence, sequence)).state();
        }
        assertEquals(1, next.recentDecisions().size(), "a BUY when the fast average went above the slow one");
        assertEquals(sequence, next.recentDecisions().newestFirst().get(0).sequence());
        assertEquals(next, decode(encode(next)));
    }

    @Test
    void aValueOfAnUnknownFormatOrCutShortIsAClearError() {
        byte[] bytes = encode(TickerState.initial("AAPL", rule).apply(rule,
                new Tick("AAPL", BigDecimal.TEN, "s", 1, 0)).state());
        byte[] newer = bytes.clone();
        newer[0] = 9;
        assertTrue(assertThrows(SerializationException.class, () -> decode(newer)).getMessage().contains("newer"));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertTrue(assertThrows(SerializationException.class, () -> decode(cut)).getMessage().contains("ends early"));
    }
}
