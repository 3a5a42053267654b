package trading.exchange.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import trading.exchange.Exchange;
import trading.exchange.ExchangeBook;
import trading.exchange.SimulatedOrder;
import trading.support.rest.Identifier;
import trading.support.rest.QueryParameters;

import java.util.List;
import java.util.Set;

/**
 * What the exchange holds, for people and tests: {@code GET /exchange/orders} (the orders it
 * accepted, once per ClOrdID), {@code GET /exchange/orders/{clOrdId}} and {@code GET /exchange/stats}.
 */
@Path("/exchange")
@Produces(MediaType.APPLICATION_JSON)
public class ExchangeResource {

    private final Exchange exchange;

    public ExchangeResource(Exchange exchange) {
        this.exchange = exchange;
    }

    @GET
    @Path("orders")
    public List<SimulatedOrder> orders(@QueryParam("symbol") String symbol,
                                       @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit("limit", limitText, 100_000, 1_000_000);
        return exchange.book().orders().stream()
                .filter(order -> symbol == null || symbol.equals(order.symbol()))
                .limit(limit)
                .toList();
    }

    @GET
    @Path("orders/{clOrdId}")
    public SimulatedOrder order(@PathParam("clOrdId") @Identifier String clOrdId) {
        return exchange.book().find(clOrdId)
                .orElseThrow(() -> new NotFoundException("the exchange has no order '" + clOrdId + "'"));
    }

    /**
     * Counts (see {@link ExchangeBook.Stats}: {@code duplicates} must stay 0; {@code resends} are
     * FIX recovery), the FIX sessions logged on now, how many prices the exchange has seen, and the
     * bad reports it sent on purpose ({@code exchange.hostile-rate}).
     */
    public record Stats(long orders, long duplicates, long resends, long fills, long rejected, long statusRequests,
                        Set<String> sessions, long pricesSeen, long hostileReports) {
    }

    @GET
    @Path("stats")
    public Stats stats() {
        ExchangeBook.Stats stats = exchange.book().stats();
        return new Stats(stats.orders(), stats.duplicates(), stats.resends(), stats.fills(), stats.rejected(), stats.statusRequests(),
                exchange.loggedOnSessions(), exchange.pricesSeen(), exchange.hostileReports());
    }
}
