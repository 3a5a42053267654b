package trading.strategy;

import trading.schema.Decimals;

import java.math.BigDecimal;

/**
 * A strategy as a service runs it: its rule and the quantity it trades per order.
 *
 * @param <I> the rule's indicator state
 */
public record StrategyDefinition<I>(SignalRule<I> rule, BigDecimal quantity) {

    public StrategyDefinition {
        if (quantity == null || quantity.signum() <= 0) {
            throw new IllegalArgumentException("order quantity must be positive, was " + quantity);
        }
        Decimals.toWire(quantity);
    }

    /** The definition of {@code rule}, whatever its indicator type. */
    public static <I> StrategyDefinition<I> of(SignalRule<I> rule, BigDecimal quantity) {
        return new StrategyDefinition<>(rule, quantity);
    }

    public String name() {
        return rule.name();
    }
}
