package trading.strategy.abc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.schema.kafka.RegistrySerdes;
import trading.strategy.StrategyDefinition;
import trading.strategy.streams.StrategyTopology;

import java.math.BigDecimal;
import java.time.Clock;

/**
 * strategy-abc: SMA crossover ({@link SmaCrossover}) over {@code prices}, orders to {@code orders}.
 * The topology itself is the shared {@link StrategyTopology}; this class only chooses the rule.
 */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    @Singleton
    StrategyDefinition<SmaCrossover.Indicators> strategy(
            @ConfigProperty(name = "strategy.sma.fast", defaultValue = "5") int fast,
            @ConfigProperty(name = "strategy.sma.slow", defaultValue = "20") int slow,
            @ConfigProperty(name = "strategy.quantity", defaultValue = "100") BigDecimal quantity) {
        return new StrategyDefinition<>(new SmaCrossover(fast, slow), quantity);
    }

    @Produces
    Topology topology(StrategyDefinition<SmaCrossover.Indicators> strategy,
                      @ConfigProperty(name = "pipeline.registry-url") String registryUrl, MeterRegistry meters,
                      Tracer tracer) {
        return StrategyTopology.build(strategy, RegistrySerdes.valueSerde(registryUrl),
                RegistrySerdes.valueSerde(registryUrl), Clock.systemUTC(), meters, tracer);
    }
}
