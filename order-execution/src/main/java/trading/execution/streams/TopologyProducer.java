package trading.execution.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.execution.ExecutionSettings;
import trading.execution.Mark;
import trading.schema.kafka.RegistrySerdes;
import trading.support.RegistryConnection;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;

/** Gives Quarkus the order-execution topology ({@link ExecutionTopology}). */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(RegistryConnection registry, ExecutionSettings settings,
                      @ConfigProperty(name = "execution.completed-order-retention", defaultValue = "P7D") java.time.Duration retention,
                      Tracer tracer, MeterRegistry meters, Instance<ExecutionQueries> queries) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("execution.completed-order-retention must be positive, was " + retention);
        }
        return ExecutionTopology.build(settings.broker(), settings.riskLimits(),
                new ExecutionTopology.ContractSerdes(RegistrySerdes.valueSerde(registry.registryUrl()),
                        RegistrySerdes.valueSerde(registry.registryUrl()), RegistrySerdes.valueSerde(registry.registryUrl()),
                        RegistrySerdes.valueSerde(registry.registryUrl())),
                Clock.systemUTC(), retention, tracer, new ExecutionMetrics(meters, strategy -> pnl(queries.get(), strategy)));
    }

    /** A strategy's P&L over this instance's books; NaN while they cannot be read (Prometheus shows a gap). */
    private static double pnl(ExecutionQueries queries, String strategy) {
        try {
            Map<String, Mark> marks = queries.marks();
            return queries.positions().stream().filter(book -> book.strategy().equals(strategy))
                    .mapToDouble(book -> {
                        Mark mark = marks.get(book.ticker());
                        BigDecimal price = mark != null ? mark.price() : book.lastFillPrice();
                        return book.realizedPnl().add(book.unrealizedPnl(price)).doubleValue();
                    }).sum();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
