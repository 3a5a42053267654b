package trading.feed.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import trading.feed.PriceFeed;
import trading.support.security.Roles;

/**
 * {@code GET /feed}: what the feed is publishing, how fast, and how much so far. {@code POST
 * /feed/stop} (the risk login): stop publishing; {@code running} turns false once every price sent
 * is acknowledged or failed.
 */
@Path("/feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    private final PriceFeed feed;

    public FeedResource(PriceFeed feed) {
        this.feed = feed;
    }

    @GET
    public PriceFeed.Status status() {
        return feed.status();
    }

    @POST
    @Path("stop")
    @RolesAllowed(Roles.RISK)
    @Consumes(MediaType.APPLICATION_JSON) // a cross-site form cannot send JSON
    public PriceFeed.Status stop(@Context SecurityContext caller) {
        return feed.stop(caller.getUserPrincipal().getName());
    }
}
