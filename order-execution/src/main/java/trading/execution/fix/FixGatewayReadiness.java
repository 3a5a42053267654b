package trading.execution.fix;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the FIX gateway hands no order over: its loop ended or stalled, the session is
 * not logged on, or the registry does not answer. With the paper broker it is always ready.
 */
@Readiness
@ApplicationScoped
public class FixGatewayReadiness implements HealthCheck {

    private final FixGateway gateway;

    public FixGatewayReadiness(FixGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("fix-gateway");
        return gateway.notReady().map(reason -> response.down().withData("reason", reason).build())
                .orElseGet(() -> response.up().build());
    }
}
