package trading.strategy;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The effective values of a rule's parameters: each given value checked against its
 * {@link RuleParameter}, the defaults for the rest. An unknown name or a value that is not a number
 * (or not a whole one where one is needed) is refused with a one-line reason.
 */
public final class RuleParameters {

    private final Map<String, BigDecimal> values;

    private RuleParameters(Map<String, BigDecimal> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** {@code given} (name to text, as a catalog entry holds them) over the defaults of {@code type}. */
    public static RuleParameters of(RuleType type, Map<String, String> given) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        Set<String> known = new TreeSet<>();
        for (RuleParameter parameter : type.parameters()) {
            known.add(parameter.name());
            String text = given.get(parameter.name());
            values.put(parameter.name(), text == null ? parameter.defaultValue() : parse(type, parameter, text));
        }
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("rule " + type.id() + " has no parameter '" + name + "'; it takes: "
                        + String.join(", ", known));
            }
        }
        return new RuleParameters(values);
    }

    /** Every parameter at its default. */
    public static RuleParameters defaults(RuleType type) {
        return of(type, Map.of());
    }

    private static BigDecimal parse(RuleType type, RuleParameter parameter, String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + parameter.name() + " of rule " + type.id()
                    + " must be a number, was '" + text + "'");
        }
        if (parameter.integer() && value.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("parameter " + parameter.name() + " of rule " + type.id()
                    + " must be a whole number, was '" + text + "'");
        }
        return value;
    }

    public int integer(String name) {
        try {
            return value(name).intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("parameter " + name + " is too large: " + value(name));
        }
    }

    public BigDecimal decimal(String name) {
        return value(name);
    }

    private BigDecimal value(String name) {
        BigDecimal value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return value;
    }

    /** Name to effective value, in the order the rule declares them. */
    public Map<String, BigDecimal> asMap() {
        return values;
    }

    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        values.forEach((name, value) -> text.append(text.isEmpty() ? "" : " ").append(name).append('=')
                .append(value.toPlainString()));
        return text.toString();
    }
}
