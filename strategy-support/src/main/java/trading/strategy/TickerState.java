package trading.strategy;

import trading.schema.OrderIds;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Everything a strategy needs to decide on the next price of one ticker: the rule's indicators,
 * the position and what was applied (per source, the last sequence). Immutable; {@link #apply} is
 * the whole per-price step, shared by the live topology and any offline run. It is written on
 * every price, so it holds nothing else: the signal history is kept apart ({@link RecentSignals}),
 * and the per-source sequences and the recent decisions are bounded ({@link SourceSequences},
 * {@link RecentDecisions}).
 *
 * @param <I> the rule's indicator state
 */
public record TickerState<I>(
        String ticker,
        BigDecimal lastPrice,
        String lastSource,
        long lastSequence,
        long lastEventTimeMillis,
        long updates,
        long skipped,
        Position position,
        Signal lastSignal,
        I indicators,
        SourceSequences lastSequenceBySource,
        RecentDecisions recentDecisions) {

    public TickerState {
        // state written before decisions were kept has none
        recentDecisions = recentDecisions == null ? RecentDecisions.none() : recentDecisions;
    }

    public static <I> TickerState<I> initial(String ticker, SignalRule<I> rule) {
        return new TickerState<>(ticker, null, null, 0, 0, 0, 0, Position.FLAT, null, rule.initial(), SourceSequences.none(),
                RecentDecisions.none());
    }

    /**
     * The result of one price: the next state, and the signal to act on (or null). {@code again}
     * is set instead when the price was applied already and had decided an order: the decision
     * kept in {@link #recentDecisions}, to send again where processing is at-least-once.
     */
    public record Step<I>(TickerState<I> state, SignalEvent signal, SignalEvent again) {
    }

    /** {@link #apply(SignalRule, Tick, int)} keeping the usual number of decisions. */
    public Step<I> apply(SignalRule<I> rule, Tick tick) {
        return apply(rule, tick, RecentDecisions.KEPT);
    }

    /**
     * Applies a price. A price whose sequence is not above the last one applied from its source
     * (a re-delivery, or an older price) is counted in {@code skipped} and changes nothing else,
     * so that reprocessing never produces a second decision; if that price had decided an order,
     * the step gives the same decision back as {@link Step#again}.
     *
     * @param decisionsKept how many decisions to keep at least ({@link RecentDecisions#with})
     */
    public Step<I> apply(SignalRule<I> rule, Tick tick, int decisionsKept) {
        if (lastSequenceBySource.applied(tick.source(), tick.sequence())) {
            RecentDecisions.Decision decided = recentDecisions.find(tick.source(), tick.sequence());
            SignalEvent again = decided == null ? null : new SignalEvent(decided.signal(), decided.price(), decided.source(),
                    decided.sequence(), decided.eventTimeMillis(),
                    OrderIds.derive(rule.name(), ticker, decided.source(), decided.sequence()), Map.of());
            return new Step<>(withSkipped(), null, again);
        }
        SignalRule.Evaluation<I> evaluation = rule.evaluate(indicators, tick.price(), position);

        Signal signal = evaluation.signal();
        Position nextPosition = position;
        Signal nextLastSignal = lastSignal;
        SignalEvent event = null;
        RecentDecisions nextDecisions = recentDecisions;
        if (signal != null) {
            nextPosition = signal == Signal.BUY ? Position.LONG : Position.FLAT;
            nextLastSignal = signal;
            String orderId = OrderIds.derive(rule.name(), ticker, tick.source(), tick.sequence());
            event = new SignalEvent(signal, tick.price(), tick.source(), tick.sequence(), tick.eventTimeMillis(),
                    orderId, rule.values(evaluation.indicators()));
            nextDecisions = recentDecisions.with(new RecentDecisions.Decision(signal, tick.price(), tick.source(),
                    tick.sequence(), tick.eventTimeMillis()), decisionsKept);
        }
        TickerState<I> next = new TickerState<>(ticker, tick.price(), tick.source(), tick.sequence(),
                tick.eventTimeMillis(), updates + 1, skipped, nextPosition, nextLastSignal, evaluation.indicators(),
                lastSequenceBySource.with(tick.source(), tick.sequence()), nextDecisions);
        return new Step<>(next, event, null);
    }

    private TickerState<I> withSkipped() {
        return new TickerState<>(ticker, lastPrice, lastSource, lastSequence, lastEventTimeMillis, updates,
                skipped + 1, position, lastSignal, indicators, lastSequenceBySource, recentDecisions);
    }
}
