package trading.strategy.xyz;

import trading.strategy.IndicatorPlot;
import trading.strategy.RuleParameter;
import trading.strategy.RuleParameters;
import trading.strategy.RuleType;
import trading.strategy.SignalRule;

import java.math.BigDecimal;
import java.util.List;

/** {@link WilderRsi} in the catalog: rule {@code wilder-rsi}, parameters {@code period}, {@code lower}, {@code upper}. */
public final class WilderRsiType implements RuleType {

    public static final String ID = "wilder-rsi";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Wilder RSI, long or flat: BUY when RSI falls below lower, SELL when it rises above upper";
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(RuleParameter.integer("period", 14, "prices in Wilder's averages"),
                RuleParameter.decimal("lower", "30", "BUY below this RSI"),
                RuleParameter.decimal("upper", "70", "SELL above this RSI"));
    }

    @Override
    public List<IndicatorPlot> indicators(RuleParameters parameters) {
        return List.of(IndicatorPlot.oscillator("rsi", "RSI " + parameters.integer("period"), BigDecimal.ZERO,
                BigDecimal.valueOf(100), parameters.decimal("lower"), parameters.decimal("upper")));
    }

    @Override
    public SignalRule<?> create(String strategyName, RuleParameters parameters) {
        return new WilderRsi(strategyName, parameters.integer("period"), parameters.decimal("lower"),
                parameters.decimal("upper"));
    }
}
