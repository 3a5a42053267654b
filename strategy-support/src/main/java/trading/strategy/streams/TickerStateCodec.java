package trading.strategy.streams;

import org.apache.kafka.common.serialization.Serde;
import trading.schema.kafka.JsonSerde;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactSerde;
import trading.schema.state.CompactWriter;
import trading.strategy.Position;
import trading.strategy.RecentDecisions;
import trading.strategy.Signal;
import trading.strategy.SignalRule;
import trading.strategy.SourceSequences;
import trading.strategy.TickerState;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link TickerState} in the store, in the compact binary form (it is read and written on every
 * price). Format 1: ticker, last price, source, sequence, event time, counters, position, last
 * signal, the rule's indicators, then the per-source sequences, most recent first (the first one's
 * name left out when it is the last price's source). Format 2 adds the recent decisions (signal,
 * price, source, and sequence and event time as differences from the last price's); format 1 is read with none. State written
 * as JSON by earlier releases is still read, and its sequence map trimmed to the bound.
 */
public final class TickerStateCodec<I> implements CompactSerde.Codec<TickerState<I>> {

    static final int FORMAT = 2;
    private static final Position[] POSITIONS = Position.values();
    private static final Signal[] SIGNALS = Signal.values();

    private final SignalRule<I> rule;

    private TickerStateCodec(SignalRule<I> rule) {
        this.rule = rule;
    }

    /** The store's serde for {@code rule}'s ticker state. */
    public static <I> Serde<TickerState<I>> serde(SignalRule<I> rule) {
        JsonSerde<TickerState<I>> json = JsonSerde.of(TickerState.class, rule.indicatorType());
        return CompactSerde.of(new TickerStateCodec<>(rule), bytes -> trimmed(json.deserializer().deserialize(null, bytes)));
    }

    /** An earlier release's unbounded map, with the last source first and cut to the bound. */
    private static <I> TickerState<I> trimmed(TickerState<I> state) {
        if (state.lastSource() == null || state.lastSequenceBySource().size() <= SourceSequences.LIMIT) {
            return state;
        }
        return new TickerState<>(state.ticker(), state.lastPrice(), state.lastSource(), state.lastSequence(),
                state.lastEventTimeMillis(), state.updates(), state.skipped(), state.position(), state.lastSignal(),
                state.indicators(), state.lastSequenceBySource().with(state.lastSource(), state.lastSequence()),
                state.recentDecisions());
    }

    @Override
    public int format() {
        return FORMAT;
    }

    @Override
    public int expectedSize() {
        return 256;
    }

    @Override
    public void write(TickerState<I> state, CompactWriter out) {
        out.writeString(state.ticker())
                .writeDecimal(state.lastPrice())
                .writeString(state.lastSource())
                .writeLong(state.lastSequence())
                .writeLong(state.lastEventTimeMillis())
                .writeLong(state.updates())
                .writeLong(state.skipped())
                .writeEnum(state.position())
                .writeEnum(state.lastSignal());
        rule.writeIndicators(state.indicators(), out);
        SourceSequences sources = state.lastSequenceBySource();
        out.writeInt(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            // the most recent source is nearly always the last price's: written once, not twice
            boolean last = i == 0 && sources.source(0).equals(state.lastSource());
            out.writeString(last ? null : sources.source(i)).writeLong(sources.sequence(i));
        }
        RecentDecisions decisions = state.recentDecisions();
        out.writeInt(decisions.size());
        for (RecentDecisions.Decision decision : decisions.newestFirst()) {
            // a decision's source is nearly always the last price's too, and its sequence and time
            // a little behind the last price's: written as those differences, a byte or two each
            out.writeEnum(decision.signal()).writeDecimal(decision.price())
                    .writeString(decision.source().equals(state.lastSource()) ? null : decision.source())
                    .writeLong(state.lastSequence() - decision.sequence())
                    .writeLong(state.lastEventTimeMillis() - decision.eventTimeMillis());
        }
    }

    @Override
    public TickerState<I> read(int format, CompactReader in) {
        String ticker = in.readString();
        var lastPrice = in.readDecimal();
        String lastSource = in.readString();
        long lastSequence = in.readLong();
        long lastEventTime = in.readLong();
        long updates = in.readLong();
        long skipped = in.readLong();
        Position position = in.readEnum(POSITIONS);
        Signal lastSignal = in.readEnum(SIGNALS);
        I indicators = rule.readIndicators(format, in);
        int count = in.readInt();
        String[] sources = new String[count];
        long[] sequences = new long[count];
        for (int i = 0; i < count; i++) {
            String source = in.readString();
            sources[i] = source == null && i == 0 ? lastSource : source;
            sequences[i] = in.readLong();
        }
        RecentDecisions decisions = RecentDecisions.none();
        if (format >= 2) {
            int decided = in.readInt();
            List<RecentDecisions.Decision> newestFirst = new ArrayList<>(decided);
            for (int i = 0; i < decided; i++) {
                Signal signal = in.readEnum(SIGNALS);
                var price = in.readDecimal();
                String source = in.readString();
                long sequence = lastSequence - in.readLong();
                newestFirst.add(new RecentDecisions.Decision(signal, price, source == null ? lastSource : source,
                        sequence, lastEventTime - in.readLong()));
            }
            decisions = new RecentDecisions(newestFirst);
        }
        return new TickerState<>(ticker, lastPrice, lastSource, lastSequence, lastEventTime, updates, skipped,
                position, lastSignal, indicators, SourceSequences.of(sources, sequences), decisions);
    }
}
