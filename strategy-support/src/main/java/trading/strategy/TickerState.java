package trading.strategy;

import trading.schema.OrderIds;

import java.math.BigDecimal;

/**
 * Everything a strategy needs to decide on the next price of one ticker: the rule's indicators,
 * the position and what was applied (per source, the last sequence). Immutable; {@link #apply} is
 * the whole per-price step, shared by the live topology and any offline run. It is written on
 * every price, so it holds nothing else: the signal history is kept apart ({@link RecentSignals}),
 * and the per-source sequences are bounded ({@link SourceSequences}).
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
        SourceSequences lastSequenceBySource) {

    public static <I> TickerState<I> initial(String ticker, SignalRule<I> rule) {
        return new TickerState<>(ticker, null, null, 0, 0, 0, 0, Position.FLAT, null, rule.initial(), SourceSequences.none());
    }

    /** The result of one price: the next state, and the signal to act on (or null). */
    public record Step<I>(TickerState<I> state, SignalEvent signal) {
    }

    /**
     * Applies a price. A price whose sequence is not above the last one applied from its source
     * (a re-delivery, or an older price) is counted in {@code skipped} and changes nothing else,
     * so that reprocessing never produces a second decision.
     */
    public Step<I> apply(SignalRule<I> rule, Tick tick) {
        if (lastSequenceBySource.applied(tick.source(), tick.sequence())) {
            return new Step<>(withSkipped(), null);
        }
        SignalRule.Evaluation<I> evaluation = rule.evaluate(indicators, tick.price(), position);

        Signal signal = evaluation.signal();
        Position nextPosition = position;
        Signal nextLastSignal = lastSignal;
        SignalEvent event = null;
        if (signal != null) {
            nextPosition = signal == Signal.BUY ? Position.LONG : Position.FLAT;
            nextLastSignal = signal;
            String orderId = OrderIds.derive(rule.name(), ticker, tick.source(), tick.sequence());
            event = new SignalEvent(signal, tick.price(), tick.source(), tick.sequence(), tick.eventTimeMillis(),
                    orderId, rule.values(evaluation.indicators()));
        }
        TickerState<I> next = new TickerState<>(ticker, tick.price(), tick.source(), tick.sequence(),
                tick.eventTimeMillis(), updates + 1, skipped, nextPosition, nextLastSignal, evaluation.indicators(),
                lastSequenceBySource.with(tick.source(), tick.sequence()));
        return new Step<>(next, event);
    }

    private TickerState<I> withSkipped() {
        return new TickerState<>(ticker, lastPrice, lastSource, lastSequence, lastEventTimeMillis, updates,
                skipped + 1, position, lastSignal, indicators, lastSequenceBySource);
    }
}
