package trading.strategy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /strategy} tells about a running strategy: the catalog entry it was started from,
 * with every parameter at its effective value, and how to draw its indicators.
 */
public record StrategyInfo(String name, String applicationId, String rule, String description,
                           Map<String, BigDecimal> parameters, BigDecimal quantity, List<IndicatorPlot> indicators) {

    /** The consumer group and application id of strategy {@code name}. */
    public static String applicationId(String name) {
        return "trading-strategy." + name;
    }

    public static StrategyInfo of(String name, RuleType type, RuleParameters parameters, BigDecimal quantity) {
        return new StrategyInfo(name, applicationId(name), type.id(), type.description(), parameters.asMap(), quantity,
                type.indicators(parameters));
    }
}
