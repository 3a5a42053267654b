package trading.strategy.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import trading.strategy.RecentSignals;
import trading.strategy.StrategyDefinition;
import trading.strategy.TickerState;
import trading.strategy.streams.StateQueries;
import trading.support.peers.Assignment;
import trading.support.rest.Identifier;
import trading.support.security.PeerSecret;

import java.util.List;

/**
 * The strategy's state over HTTP, from any instance: {@code GET /state},
 * {@code GET /state/{ticker}}, {@code GET /state/{ticker}/signals}. {@code ?local=true} limits an
 * answer to this instance's stores: what instances use to ask each other, so it needs the service's
 * peer secret ({@link PeerSecret}).
 */
@Path("/state")
@Produces(MediaType.APPLICATION_JSON)
public class StateResource {

    /** Names the instance ({@code host:port}) whose store answered. */
    public static final String ANSWERED_BY_HEADER = "X-Answered-By";

    private final StateQueries queries;
    private final StrategyDefinition<?> strategy;
    private final PeerSecret peers;
    private final SecurityIdentity caller;

    public StateResource(StateQueries queries, StrategyDefinition<?> strategy, PeerSecret peers, SecurityIdentity caller) {
        this.queries = queries;
        this.strategy = strategy;
        this.peers = peers;
        this.caller = caller;
    }

    /**
     * Every ticker. {@code ?local=true&partitions=0,5} is another instance merging: it names the
     * partitions of {@code prices} it counts on this instance for, and gets all of them or a 503.
     */
    @GET
    public Response all(@QueryParam("local") boolean local, @QueryParam("partitions") String partitions) {
        peers.checkLocal(local, caller);
        if (local) {
            // Another instance merging: hand over the raw states, it renders them.
            return Response.ok(queries.local(Assignment.parse(partitions))).build();
        }
        if (partitions != null) {
            throw new BadRequestException("partitions is only for ?local=true");
        }
        List<TickerStateView> views = queries.all().stream()
                .map(answer -> new TickerStateView(answer, strategy.rule()))
                .toList();
        return Response.ok(views).build();
    }

    @GET
    @Path("/{ticker}")
    public Response one(@PathParam("ticker") @Identifier String ticker, @QueryParam("local") boolean local) {
        peers.checkLocal(local, caller);
        StateQueries.Answer answer = find(ticker, local);
        Object body = local ? answer.state() : new TickerStateView(answer, strategy.rule());
        return Response.ok(body).header(ANSWERED_BY_HEADER, hostPort(answer)).build();
    }

    @GET
    @Path("/{ticker}/signals")
    public Response signals(@PathParam("ticker") @Identifier String ticker, @QueryParam("local") boolean local) {
        peers.checkLocal(local, caller);
        RecentSignals signals = queries.signals(ticker, local);
        if (local) {
            return Response.ok(signals).build();
        }
        if (signals.newestFirst().isEmpty()) {
            find(ticker, false); // a ticker never seen is a 404, one without signals yet an empty list
        }
        return Response.ok(signals.newestFirst()).build();
    }

    private static String hostPort(StateQueries.Answer answer) {
        return answer.answeredBy().host() + ":" + answer.answeredBy().port();
    }

    private StateQueries.Answer find(String ticker, boolean local) {
        return queries.find(ticker, local).orElseThrow(() ->
                new NotFoundException("strategy " + strategy.name() + " has seen no price of ticker '" + ticker + "'"));
    }
}
