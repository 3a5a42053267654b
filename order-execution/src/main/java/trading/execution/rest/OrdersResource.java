package trading.execution.rest;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import trading.execution.Mark;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.PositionBook;
import trading.execution.streams.ExecutionQueries;
import trading.schema.Decimals;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * order-execution over HTTP: {@code GET /orders} (filters {@code strategy}, {@code ticker},
 * {@code limit}), {@code GET /orders/{orderId}}, {@code GET /positions}, {@code GET /pnl}, {@code GET /stats}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_LIMIT = 10_000;

    private final ExecutionQueries queries;

    public OrdersResource(ExecutionQueries queries) {
        this.queries = queries;
    }

    /** An order as users see it. */
    public record OrderView(String orderId, String strategy, String ticker, String side, BigDecimal quantity,
                            BigDecimal referencePrice, String priceSource, long priceSequence, OrderStatus status,
                            BigDecimal filledQuantity, BigDecimal fillPrice, String broker, String brokerOrderId,
                            String reason) {
        static OrderView of(OrderRecord order) {
            return new OrderView(order.orderId(), order.strategy(), order.ticker(), order.side(),
                    Decimals.forDisplay(order.quantity()), Decimals.forDisplay(order.referencePrice()),
                    order.priceSource(), order.priceSequence(), order.status(),
                    Decimals.forDisplay(order.filledQuantity()), Decimals.forDisplay(order.fillPrice()),
                    order.broker(), order.brokerOrderId(), order.reason());
        }
    }

    /**
     * A strategy's position in a ticker; unrealized P&amp;L is marked to {@code markPrice}, the
     * ticker's last reference price on any order (the last fill price before any order came).
     */
    public record PositionView(String strategy, String ticker, BigDecimal quantity, BigDecimal averagePrice,
                               BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal markPrice,
                               BigDecimal workingBuy, BigDecimal workingSell) {
        static PositionView of(PositionBook book, Mark mark) {
            BigDecimal markPrice = mark != null ? mark.price() : book.lastFillPrice();
            return new PositionView(book.strategy(), book.ticker(), Decimals.forDisplay(book.quantity()),
                    Decimals.forDisplay(book.averagePrice()), Decimals.forDisplay(book.realizedPnl()),
                    Decimals.forDisplay(book.unrealizedPnl(markPrice)), Decimals.forDisplay(markPrice),
                    Decimals.forDisplay(book.pendingBuy()), Decimals.forDisplay(book.pendingSell()));
        }
    }

    @GET
    @Path("orders")
    public List<OrderView> orders(@QueryParam("strategy") String strategy, @QueryParam("ticker") String ticker,
                                  @QueryParam("limit") @DefaultValue("1000") int limit) {
        checkName("strategy", strategy);
        checkName("ticker", ticker);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return queries.orders(order -> (strategy == null || strategy.equals(order.strategy()))
                        && (ticker == null || ticker.equals(order.ticker())))
                .stream()
                .sorted(Comparator.comparingLong(OrderRecord::decisionTimeMicros).reversed()
                        .thenComparing(OrderRecord::orderId))
                .limit(limit)
                .map(OrderView::of)
                .toList();
    }

    @GET
    @Path("orders/{orderId}")
    public OrderView order(@PathParam("orderId") String orderId) {
        checkName("orderId", orderId);
        return queries.order(orderId).map(OrderView::of)
                .orElseThrow(() -> new NotFoundException("no order with id '" + orderId + "'"));
    }

    @GET
    @Path("positions")
    public List<PositionView> positions(@QueryParam("strategy") String strategy) {
        checkName("strategy", strategy);
        Map<String, Mark> marks = queries.marks();
        return queries.positions().stream()
                .filter(book -> strategy == null || strategy.equals(book.strategy()))
                .sorted(Comparator.comparing(PositionBook::strategy).thenComparing(PositionBook::ticker))
                .map(book -> PositionView.of(book, marks.get(book.ticker())))
                .toList();
    }

    /** One strategy's totals over its tickers. */
    public record PnlView(String strategy, int positions, BigDecimal realizedPnl, BigDecimal unrealizedPnl,
                          BigDecimal totalPnl) {
    }

    @GET
    @Path("pnl")
    public List<PnlView> pnl() {
        Map<String, BigDecimal[]> totals = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (PositionView position : positions(null)) {
            BigDecimal[] sums = totals.computeIfAbsent(position.strategy(), s -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
            sums[0] = sums[0].add(position.realizedPnl());
            sums[1] = sums[1].add(position.unrealizedPnl());
            counts.merge(position.strategy(), 1, Integer::sum);
        }
        return totals.entrySet().stream()
                .map(e -> new PnlView(e.getKey(), counts.get(e.getKey()), Decimals.forDisplay(e.getValue()[0]),
                        Decimals.forDisplay(e.getValue()[1]), Decimals.forDisplay(e.getValue()[0].add(e.getValue()[1]))))
                .toList();
    }

    /** Counts of orders by status, overall and per strategy. */
    public record Stats(long orders, Map<OrderStatus, Long> byStatus, Map<String, Long> byStrategy) {
    }

    @GET
    @Path("stats")
    public Stats stats() {
        Map<OrderStatus, Long> byStatus = new EnumMap<>(OrderStatus.class);
        Map<String, Long> byStrategy = new TreeMap<>();
        List<OrderRecord> all = queries.orders(order -> true);
        for (OrderRecord order : all) {
            byStatus.merge(order.status(), 1L, Long::sum);
            byStrategy.merge(order.strategy(), 1L, Long::sum);
        }
        return new Stats(all.size(), byStatus, byStrategy);
    }

    private static void checkName(String what, String value) {
        if (value != null && !NAME.matcher(value).matches()) {
            throw new BadRequestException(what + " must be 1 to 64 letters, digits or . _ : -, was '" + value + "'");
        }
    }
}
