package trading.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import trading.support.Unavailable;
import trading.support.rest.Identifier;
import trading.support.rest.QueryParameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The dashboard's HTTP API: one ticker across every service, the order blotter's history, the
 * status panel, and the kill switch on the caller's behalf (order-execution decides who may).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    private static final int MAX_LIMIT = 1_000;

    private final ServiceClient services;
    private final ServiceWatch watch;
    private final Strategies strategies;
    private final ObjectMapper json;

    public DashboardResource(ServiceClient services, ServiceWatch watch, Strategies strategies, ObjectMapper json) {
        this.services = services;
        this.watch = watch;
        this.strategies = strategies;
        this.json = json;
    }

    @GET
    @Path("tickers/{ticker}")
    @Operation(summary = "What every strategy thinks of a ticker and what was done about it",
            description = "Asks every strategy (state and recent signals, under strategy-<name>) and order-execution"
                    + " (latest orders and positions) at once, each with a bounded timeout. A part that does not answer"
                    + " is {\"unavailable\": \"why\"} and complete is false (200); 503 if no service answers; 404 if"
                    + " none has seen the ticker.")
    public Response ticker(@PathParam("ticker") @Identifier String ticker) {
        List<Strategies.Known> described = strategies.known();
        List<CompletableFuture<ServiceClient.Answer>> states = new java.util.ArrayList<>();
        List<CompletableFuture<ServiceClient.Answer>> signals = new java.util.ArrayList<>();
        for (Strategies.Known strategy : described) {
            states.add(services.getAt(strategy.service(), strategy.url(), "/state/" + ticker));
            signals.add(services.getAt(strategy.service(), strategy.url(), "/state/" + ticker + "/signals"));
        }
        CompletableFuture<ServiceClient.Answer> orders = services.get(ServiceUrls.ORDER_EXECUTION, "/orders?limit=20&ticker=" + ticker);
        CompletableFuture<ServiceClient.Answer> positions = services.get(ServiceUrls.ORDER_EXECUTION, "/positions?ticker=" + ticker);

        ObjectNode answer = json.createObjectNode();
        answer.put("ticker", ticker);
        Map<String, String> missing = new LinkedHashMap<>();
        int answered = 0;
        boolean known = false;
        List<Part> parts = new java.util.ArrayList<>();
        for (int i = 0; i < described.size(); i++) {
            parts.add(new Part(described.get(i).service(), "state", states.get(i).join(), "signals", signals.get(i).join()));
        }
        parts.add(new Part(ServiceUrls.ORDER_EXECUTION, "orders", orders.join(), "positions", positions.join()));
        // a strategy that has not said what it is cannot be asked: the answer is not complete
        strategies.unavailable().forEach(missing::put);
        for (var part : parts) {
            ObjectNode node = answer.putObject(part.service());
            String why = part.problem();
            if (why != null) {
                node.put("unavailable", why);
                missing.put(part.service(), why);
                continue;
            }
            answered++;
            // a strategy that never saw the ticker answers 404: no state, no signals
            JsonNode first = part.first().ok() ? part.first().body() : null;
            JsonNode second = part.second().ok() ? part.second().body() : json.createArrayNode();
            node.set(part.firstName(), first);
            node.set(part.secondName(), second);
            known |= first != null && !(first.isArray() && first.isEmpty()) || !second.isEmpty();
        }
        if (answered == 0) {
            throw new Unavailable("no service answered: " + String.join("; ", missing.values()));
        }
        if (!known && missing.isEmpty()) {
            throw new NotFoundException("no service has seen ticker '" + ticker + "'");
        }
        answer.put("complete", missing.isEmpty());
        answer.set("missing", json.valueToTree(missing));
        return Response.ok(answer).build();
    }

    /** Two requests to one service; unavailable if either is (a 404 is an answer: not seen). */
    private record Part(String service, String firstName, ServiceClient.Answer first, String secondName,
                        ServiceClient.Answer second) {
        String problem() {
            for (ServiceClient.Answer a : List.of(first, second)) {
                if (!a.ok() && !a.notFound()) {
                    return a.why();
                }
            }
            return null;
        }
    }

    @GET
    @Path("orders")
    @Operation(summary = "The blotter's history: order-execution's newest orders, filtered by strategy and ticker")
    public Response orders(@QueryParam("strategy") @Identifier String strategy, @QueryParam("ticker") @Identifier String ticker,
                           @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit("limit", limitText, 200, MAX_LIMIT);
        String query = "/orders?limit=" + limit + (strategy == null ? "" : "&strategy=" + strategy)
                + (ticker == null ? "" : "&ticker=" + ticker);
        ServiceClient.Answer answer = services.get(ServiceUrls.ORDER_EXECUTION, query).join();
        if (!answer.ok()) {
            throw new Unavailable(answer.why());
        }
        return Response.ok(answer.body()).build();
    }

    @GET
    @Path("status")
    @Operation(summary = "The status panel: kill switch, feed, consumer lag, dead letters, P&L, what is unavailable")
    public JsonNode status() {
        return watch.status();
    }

    @POST
    @Path("trading/halt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Halts trading as the caller: needs their login with the risk role (order-execution checks it)")
    public Response halt(String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return forward("/trading/halt", body, authorization);
    }

    @POST
    @Path("trading/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resumes trading as the caller: needs their login with the risk role (order-execution checks it)")
    public Response resume(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return forward("/trading/resume", "", authorization);
    }

    private Response forward(String path, String body, String authorization) {
        ServiceClient.Answer answer = services.post(ServiceUrls.ORDER_EXECUTION, path, body, authorization).join();
        if (answer.status() == 0) {
            throw new Unavailable(answer.why());
        }
        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body());
        if (answer.status() == 401) {
            // no Basic challenge: the page asks for the login itself, the browser must not pop up its own dialog
            response.header("X-Login-Required", "risk");
        }
        return response.build();
    }

}
