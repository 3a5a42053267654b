package trading.support.streams;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import trading.schema.kafka.RegistryLookups;

/**
 * Not ready while the schema registry does not answer a lookup this service needs: its records wait
 * (none is dead-lettered) and it says why, with the time the outage began. Ready again with the
 * first lookup answered, even one its caller gave up on; while down, each probe has the failed
 * lookup asked again in the background (see {@link RegistryLookups#problem()}), so readiness comes
 * back with the registry even if no record needs it any more. A service that needs nothing new from the registry never asks it,
 * and stays ready through an outage.
 */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("schema-registry");
        return RegistryLookups.problem()
                .map(problem -> response.down().withData("reason", problem.what()).withData("since", problem.since().toString()).build())
                .orElseGet(() -> response.up().build());
    }
}
