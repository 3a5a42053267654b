package trading.strategy;

import java.math.BigDecimal;

/**
 * A parameter of a {@link RuleType}: its name in the catalog ({@code strategy.param.<name>}), its
 * default, and whether it must be a whole number.
 */
public record RuleParameter(String name, BigDecimal defaultValue, boolean integer, String description) {

    public static RuleParameter integer(String name, int defaultValue, String description) {
        return new RuleParameter(name, BigDecimal.valueOf(defaultValue), true, description);
    }

    public static RuleParameter decimal(String name, String defaultValue, String description) {
        return new RuleParameter(name, new BigDecimal(defaultValue), false, description);
    }
}
