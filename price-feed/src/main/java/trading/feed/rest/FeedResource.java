package trading.feed.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import trading.feed.PriceFeed;

/** {@code GET /feed}: what the feed is publishing, how fast, and how much so far. */
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
}
