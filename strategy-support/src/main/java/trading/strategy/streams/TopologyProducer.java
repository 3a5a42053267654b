package trading.strategy.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.schema.kafka.RegistrySerdes;
import trading.strategy.ConfiguredStrategy;
import trading.strategy.RuleParameter;
import trading.strategy.RuleParameters;
import trading.strategy.RuleType;
import trading.strategy.StrategyDefinition;
import trading.strategy.StrategyInfo;
import trading.support.RegistryConnection;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every strategy service's topology: the shared {@link StrategyTopology} running the rule its
 * catalog entry names ({@code strategy.name}, {@code strategy.rule}, {@code strategy.param.*},
 * {@code strategy.quantity}; see {@code strategies/}). A rule module brings its {@link RuleType}s;
 * which one runs, under what name and with which values, is configuration only.
 */
@ApplicationScoped
public class TopologyProducer {

    private static final Logger LOG = Logger.getLogger(TopologyProducer.class);

    @Produces
    @Singleton
    ConfiguredStrategy configured(Config config,
                                  @ConfigProperty(name = "strategy.name") String name,
                                  @ConfigProperty(name = "strategy.rule") Optional<String> ruleId,
                                  @ConfigProperty(name = "strategy.quantity", defaultValue = "100") BigDecimal quantity) {
        RuleType type = ruleType(ruleId);
        Map<String, String> given = new LinkedHashMap<>();
        for (RuleParameter parameter : type.parameters()) {
            config.getOptionalValue("strategy.param." + parameter.name(), String.class)
                    .ifPresent(value -> given.put(parameter.name(), value));
        }
        // a name the rule does not take is a typo that would otherwise run the default silently
        for (String property : config.getPropertyNames()) {
            if (property.startsWith("strategy.param.")) {
                String parameter = property.substring("strategy.param.".length());
                given.putIfAbsent(parameter, config.getValue(property, String.class));
            }
        }
        ConfiguredStrategy strategy = new ConfiguredStrategy(name, type, RuleParameters.of(type, given), quantity);
        LOG.infof("strategy %s: rule %s, %s, quantity %s", name, type.id(), strategy.parameters(), quantity.toPlainString());
        return strategy;
    }

    @Produces
    @Singleton
    StrategyInfo info(ConfiguredStrategy strategy) {
        return strategy.info();
    }

    /** As {@code StrategyDefinition<Object>}: CDI takes no wildcard as a bean type. */
    @Produces
    @Singleton
    StrategyDefinition<Object> strategy(ConfiguredStrategy strategy) {
        return strategy.definition();
    }

    /** The mode follows the Streams guarantee, which strategy.processing sets (microprofile-config.properties). */
    @Produces
    Topology topology(StrategyDefinition<Object> strategy, RegistryConnection registry, MeterRegistry meters, Tracer tracer,
                      @ConfigProperty(name = "kafka-streams.processing.guarantee") String guarantee) {
        Processing processing = Processing.ofGuarantee(guarantee);
        LOG.infof("strategy %s: %s processing (processing.guarantee=%s)", strategy.name(),
                processing.name().toLowerCase(Locale.ROOT), guarantee);
        return StrategyTopology.build(strategy, processing, RegistrySerdes.valueSerde(registry.registryUrl()),
                RegistrySerdes.valueSerde(registry.registryUrl()), Clock.systemUTC(), meters, tracer);
    }

    private static RuleType ruleType(Optional<String> id) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (id.isPresent()) {
            return RuleType.find(id.get(), loader);
        }
        List<RuleType> types = RuleType.available(loader);
        if (types.size() != 1) {
            throw new IllegalArgumentException("strategy.rule is not set and this service has "
                    + types.size() + " rule types: set it to one of " + types.stream().map(RuleType::id).toList());
        }
        return types.get(0);
    }
}
