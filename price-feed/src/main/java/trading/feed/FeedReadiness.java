package trading.feed;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the feed waits for a dependency, or after its thread died: it publishes nothing then. */
@Readiness
@ApplicationScoped
public class FeedReadiness implements HealthCheck {

    private final PriceFeed feed;

    public FeedReadiness(PriceFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("price-feed");
        return feed.notReady().map(reason -> response.down().withData("reason", reason).build())
                .orElseGet(() -> response.up().build());
    }
}
