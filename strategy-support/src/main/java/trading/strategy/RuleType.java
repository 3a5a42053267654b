package trading.strategy;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * A kind of rule a strategy can run, with its parameters and how its indicators are drawn: the one
 * description of a rule. A strategy of the catalog names a rule type by {@link #id()} and gives
 * values for its parameters; the same rule with other values is another strategy, with no new code.
 *
 * <p>Rule modules list their types in {@code META-INF/services/trading.strategy.RuleType}; the
 * strategy service, the backtest and the bench find them with {@link #find}.
 */
public interface RuleType {

    /** The rule's id in the catalog ({@code sma-crossover}). */
    String id();

    /** One line for people: what the rule does. */
    String description();

    /** The parameters it takes, with their defaults. */
    List<RuleParameter> parameters();

    /** How to draw each indicator that {@link SignalRule#values} returns, for these parameters. */
    List<IndicatorPlot> indicators(RuleParameters parameters);

    /** The rule for strategy {@code strategyName} (the name in its order ids) with these parameters. */
    SignalRule<?> create(String strategyName, RuleParameters parameters);

    /** The rule types {@code loader} can see, by id. */
    static List<RuleType> available(ClassLoader loader) {
        return ServiceLoader.load(RuleType.class, loader).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The rule type {@code id}, or a one-line reason naming the types there are. */
    static RuleType find(String id, ClassLoader loader) {
        List<RuleType> types = available(loader);
        return types.stream().filter(type -> type.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no rule type '" + id + "' here; there are: "
                        + types.stream().map(RuleType::id).sorted().collect(Collectors.joining(", "))));
    }
}
