package trading.strategy.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import trading.strategy.StrategyInfo;

/** {@code GET /strategy}: which strategy this is, its rule, its effective parameters and how to draw its indicators. */
@Path("/strategy")
@Produces(MediaType.APPLICATION_JSON)
public class StrategyResource {

    private final StrategyInfo info;

    public StrategyResource(StrategyInfo info) {
        this.info = info;
    }

    @GET
    @Operation(summary = "The strategy: name, application id, rule, effective parameters, quantity, and how to draw its indicators")
    public StrategyInfo strategy() {
        return info;
    }
}
