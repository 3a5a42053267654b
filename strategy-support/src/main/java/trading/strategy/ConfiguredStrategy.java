package trading.strategy;

import java.math.BigDecimal;

/**
 * A strategy as a catalog entry makes it: its name, its rule type with the effective parameters,
 * and its quantity. What the strategy service runs ({@link #definition()}) and what it says it
 * is ({@link #info()}) both come from here, as do the launcher's backtest and bench.
 */
public record ConfiguredStrategy(String name, RuleType type, RuleParameters parameters, BigDecimal quantity) {

    /** The rule under the strategy's name, with its quantity: what the topology runs. */
    @SuppressWarnings("unchecked")
    public StrategyDefinition<Object> definition() {
        // which indicator type the rule keeps is known only at run time
        return StrategyDefinition.of((SignalRule<Object>) type.create(name, parameters), quantity);
    }

    /** What {@code GET /strategy} answers. */
    public StrategyInfo info() {
        return StrategyInfo.of(name, type, parameters, quantity);
    }
}
