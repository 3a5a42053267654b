package trading.strategy.abc;

import trading.strategy.IndicatorPlot;
import trading.strategy.RuleParameter;
import trading.strategy.RuleParameters;
import trading.strategy.RuleType;
import trading.strategy.SignalRule;

import java.util.List;

/** {@link SmaCrossover} in the catalog: rule {@code sma-crossover}, parameters {@code fast} and {@code slow}. */
public final class SmaCrossoverType implements RuleType {

    public static final String ID = "sma-crossover";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "SMA crossover, long or flat: BUY when the fast SMA crosses above the slow one, SELL when it crosses below";
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(RuleParameter.integer("fast", 5, "prices in the fast SMA"),
                RuleParameter.integer("slow", 20, "prices in the slow SMA (more than fast)"));
    }

    @Override
    public List<IndicatorPlot> indicators(RuleParameters parameters) {
        return List.of(IndicatorPlot.onPrice("fastSma", "SMA " + parameters.integer("fast")),
                IndicatorPlot.onPrice("slowSma", "SMA " + parameters.integer("slow")));
    }

    @Override
    public SignalRule<?> create(String strategyName, RuleParameters parameters) {
        return new SmaCrossover(strategyName, parameters.integer("fast"), parameters.integer("slow"));
    }
}
