package trading.strategy.xyz;

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
 * strategy-xyz: Wilder RSI ({@link WilderRsi}) over {@code prices}, orders to {@code orders}.
 * The topology itself is the shared {@link StrategyTopology}; this class only chooses the rule.
 */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    @Singleton
    StrategyDefinition<WilderRsi.Indicators> strategy(
            @ConfigProperty(name = "strategy.rsi.period", defaultValue = "14") int period,
            @ConfigProperty(name = "strategy.rsi.lower", defaultValue = "30") BigDecimal lower,
            @ConfigProperty(name = "strategy.rsi.upper", defaultValue = "70") BigDecimal upper,
            @ConfigProperty(name = "strategy.quantity", defaultValue = "100") BigDecimal quantity) {
        return new StrategyDefinition<>(new WilderRsi(period, lower, upper), quantity);
    }

    @Produces
    Topology topology(StrategyDefinition<WilderRsi.Indicators> strategy,
                      @ConfigProperty(name = "pipeline.registry-url") String registryUrl, MeterRegistry meters,
                      Tracer tracer) {
        return StrategyTopology.build(strategy, RegistrySerdes.valueSerde(registryUrl),
                RegistrySerdes.valueSerde(registryUrl), Clock.systemUTC(), meters, tracer);
    }
}
