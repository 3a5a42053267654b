package trading.launcher.backtest;

import trading.strategy.SignalEvent;
import trading.strategy.SignalRule;
import trading.strategy.Tick;
import trading.strategy.TickerState;

import java.util.HashMap;
import java.util.Map;

/**
 * One strategy's per-price step over every ticker, as a backtest runs it: the signal a tick fires,
 * or null. A JVM strategy's is its rule in {@link TickerState}, as its service applies it; an
 * external strategy's is its own code in another process ({@link ExternalDecider}).
 */
public interface Decider extends AutoCloseable {

    SignalEvent apply(Tick tick);

    @Override
    default void close() {
    }

    /** The rule as the Java strategy services apply it. */
    static <I> Decider of(SignalRule<I> rule) {
        Map<String, TickerState<I>> states = new HashMap<>();
        return tick -> {
            TickerState<I> state = states.computeIfAbsent(tick.ticker(), t -> TickerState.initial(t, rule));
            TickerState.Step<I> step = state.apply(rule, tick);
            states.put(tick.ticker(), step.state());
            return step.signal();
        };
    }
}
