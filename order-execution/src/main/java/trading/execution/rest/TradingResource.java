package trading.execution.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import trading.execution.fix.FixGateway;
import trading.execution.fix.GatewayStats;
import trading.execution.streams.TradingControls;
import trading.support.security.Roles;

/**
 * The kill switch and the broker link: {@code GET /trading}, {@code POST /trading/halt} (optional
 * JSON body {@code {"reason": "..."}}), {@code POST /trading/resume}, {@code GET /broker}. Halting and
 * resuming need a logged-in caller with the {@link Roles#RISK} role, who is recorded as
 * {@code changedBy}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TradingResource {

    private static final int MAX_REASON = 200;

    private final TradingControls controls;
    private final FixGateway gateway;
    private final SecurityIdentity caller;

    public TradingResource(TradingControls controls, FixGateway gateway, SecurityIdentity caller) {
        this.controls = controls;
        this.gateway = gateway;
        this.caller = caller;
    }

    /** Why trading is halted; optional. */
    public record HaltRequest(String reason) {
    }

    @GET
    @Path("trading")
    public TradingControls.Status trading() {
        return controls.status();
    }

    @POST
    @Path("trading/halt")
    @RolesAllowed(Roles.RISK)
    @Consumes(MediaType.APPLICATION_JSON) // a cross-site form cannot send JSON (see CrossSiteRequests)
    public TradingControls.Status halt(HaltRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? "halted over HTTP" : request.reason().strip();
        if (reason.length() > MAX_REASON) {
            throw new BadRequestException("reason must be at most " + MAX_REASON + " characters, was " + reason.length());
        }
        return controls.set(true, reason, caller.getPrincipal().getName());
    }

    @POST
    @Path("trading/resume")
    @RolesAllowed(Roles.RISK)
    @Consumes(MediaType.APPLICATION_JSON)
    public TradingControls.Status resume() {
        return controls.set(false, null, caller.getPrincipal().getName());
    }

    /** The broker in use and, for FIX, the session and what went through it. */
    public record BrokerView(String broker, GatewayStats.Snapshot fix) {
    }

    @GET
    @Path("broker")
    public BrokerView broker() {
        return new BrokerView(gateway.enabled() ? "fix" : "paper", gateway.enabled() ? gateway.stats() : null);
    }
}
