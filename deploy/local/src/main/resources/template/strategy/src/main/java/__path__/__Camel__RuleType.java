package trading.strategy.__package__;

import trading.strategy.IndicatorPlot;
import trading.strategy.RuleParameter;
import trading.strategy.RuleParameters;
import trading.strategy.RuleType;
import trading.strategy.SignalRule;

import java.util.List;

/**
 * {@link __Camel__Rule} in the catalog: its id (strategies/__name__.properties names it), its
 * parameters with their defaults, and how its indicators are drawn. Listed in
 * META-INF/services/trading.strategy.RuleType.
 */
public final class __Camel__RuleType implements RuleType {

    public static final String ID = "__name__";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Channel breakout, long or flat: BUY above the highest of the last window prices, SELL below the lowest";
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(RuleParameter.integer("window", 20, "prices in the channel"));
    }

    @Override
    public List<IndicatorPlot> indicators(RuleParameters parameters) {
        return List.of(IndicatorPlot.onPrice("upper", "high " + parameters.integer("window")),
                IndicatorPlot.onPrice("lower", "low " + parameters.integer("window")));
    }

    @Override
    public SignalRule<?> create(String strategyName, RuleParameters parameters) {
        return new __Camel__Rule(strategyName, parameters.integer("window"));
    }
}
