package trading.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the dashboard reads every partition of its topics. */
@Readiness
@ApplicationScoped
public class ReaderHealth implements HealthCheck {

    private final TopicReader reader;

    public ReaderHealth(TopicReader reader) {
        this.reader = reader;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("topics")
                .status(reader.assigned())
                .withData("pricesRead", reader.pricesRead())
                .withData("lastError", String.valueOf(reader.lastError()))
                .build();
    }
}
