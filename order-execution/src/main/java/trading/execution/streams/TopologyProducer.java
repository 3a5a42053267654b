package trading.execution.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.execution.ExecutionSettings;
import trading.schema.kafka.RegistrySerdes;

import java.time.Clock;

/** Gives Quarkus the order-execution topology ({@link ExecutionTopology}). */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(@ConfigProperty(name = "pipeline.registry-url") String registryUrl, ExecutionSettings settings,
                      @ConfigProperty(name = "execution.completed-order-retention", defaultValue = "P7D") java.time.Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("execution.completed-order-retention must be positive, was " + retention);
        }
        return ExecutionTopology.build(settings.broker(), settings.riskLimits(),
                new ExecutionTopology.Serdes4(RegistrySerdes.valueSerde(registryUrl), RegistrySerdes.valueSerde(registryUrl),
                        RegistrySerdes.valueSerde(registryUrl), RegistrySerdes.valueSerde(registryUrl)),
                Clock.systemUTC(), retention);
    }
}
