package trading.execution.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.execution.Mark;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.OrderTimeline;
import trading.execution.PositionBook;
import trading.execution.streams.ExecutionQueries;
import trading.execution.streams.OtherInstances;
import trading.schema.Decimals;
import trading.schema.kafka.TraceHeaders;
import trading.support.peers.Assignment;
import trading.support.rest.Identifier;
import trading.support.rest.Identifiers;
import trading.support.rest.QueryParameters;
import trading.support.security.PeerSecret;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * order-execution over HTTP: {@code GET /orders} (filters {@code strategy}, {@code ticker},
 * {@code limit}, a page cursor {@code before}), {@code GET /orders/{orderId}}, {@code GET /orders/{orderId}/timeline},
 * {@code GET /positions} (filters
 * {@code strategy}, {@code ticker}), {@code GET /pnl}, {@code GET /stats}.
 * Each merges the answers of every instance; {@code ?local=true} (this instance's stores only) is
 * for the other instances, which show the service's peer secret.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final int MAX_LIMIT = 10_000;

    private final ExecutionQueries queries;
    private final OtherInstances others;
    private final PeerSecret peers;
    private final SecurityIdentity caller;
    private final Optional<String> traceUi;

    public OrdersResource(ExecutionQueries queries, OtherInstances others, PeerSecret peers, SecurityIdentity caller,
                          @ConfigProperty(name = "pipeline.trace-ui-url") Optional<String> traceUi) {
        this.traceUi = traceUi;
        this.queries = queries;
        this.others = others;
        this.peers = peers;
        this.caller = caller;
    }


    /** An order as users see it. */
    public record OrderView(String orderId, String strategy, String ticker, String side, BigDecimal quantity,
                            BigDecimal referencePrice, String priceSource, long priceSequence, OrderStatus status,
                            BigDecimal filledQuantity, BigDecimal fillPrice, String broker, String brokerOrderId,
                            String reason, long decisionTimeMicros) {
        static OrderView of(OrderRecord order) {
            return new OrderView(order.orderId(), order.strategy(), order.ticker(), order.side(),
                    Decimals.forDisplay(order.quantity()), Decimals.forDisplay(order.referencePrice()),
                    order.priceSource(), order.priceSequence(), order.status(),
                    Decimals.forDisplay(order.filledQuantity()), Decimals.forDisplay(order.fillPrice()),
                    order.broker(), order.brokerOrderId(), order.reason(), order.decisionTimeMicros());
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
    public List<OrderView> orders(@QueryParam("strategy") @Identifier String strategy,
                                  @QueryParam("ticker") @Identifier String ticker,
                                  @QueryParam("limit") String limitText,
                                  @QueryParam("before") String before,
                                  @QueryParam("local") boolean local,
                                  @QueryParam(Assignment.PARAMETER) String partitions) {
        Set<Integer> asked = checkLocal(local, partitions);
        int limit = QueryParameters.limit("limit", limitText, 1000, MAX_LIMIT);
        String cursor = cursor(before);
        Set<Integer> mine = asked != null ? asked : others.requireLocal(null);
        List<OrderView> views = new ArrayList<>(queries.newestOrders((s, t) -> (strategy == null || strategy.equals(s))
                        && (ticker == null || ticker.equals(t)), cursor, limit, mine)
                .stream()
                .map(OrderView::of)
                .toList());
        if (!local) {
            String query = "/orders?local=true&limit=" + limit + (strategy == null ? "" : "&strategy=" + strategy)
                    + (ticker == null ? "" : "&ticker=" + ticker) + (before == null ? "" : "&before=" + before);
            others.<List<OrderView>>askAll(query, others.listOf(OrderView.class)).forEach(answer -> answer.ifPresent(views::addAll));
            views.sort(NEWEST_FIRST);
        }
        return views.size() > limit ? views.subList(0, limit) : views;
    }

    /** The order of {@code /orders}: decision time, newest first, then order id, as the time index holds them. */
    private static final Comparator<OrderView> NEWEST_FIRST = Comparator.comparing(
            (OrderView view) -> ExecutionQueries.cursorKey(view.decisionTimeMicros(), view.orderId())).reversed();

    /** {@code before=<decisionTimeMicros>:<orderId>}, the last order of the previous page: its index key. */
    private static String cursor(String before) {
        if (before == null) {
            return null;
        }
        int colon = before.indexOf(':');
        try {
            if (colon < 1) {
                throw new NumberFormatException();
            }
            String orderId = before.substring(colon + 1);
            Identifiers.check("before's order id", orderId);
            return ExecutionQueries.cursorKey(Long.parseLong(before.substring(0, colon)), orderId);
        } catch (NumberFormatException e) {
            throw new BadRequestException("before must be <decisionTimeMicros>:<orderId> of the last order of the"
                    + " previous page, was '" + before + "'");
        }
    }

    @GET
    @Path("orders/{orderId}")
    public OrderView order(@PathParam("orderId") @Identifier String orderId, @QueryParam("local") boolean local,
                           @QueryParam(Assignment.PARAMETER) String partitions) {
        return find(orderId, local, partitions, "", OrderView.class, OrderView::of);
    }

    /** One step of an order's way, from its price's publication to its fill. */
    public record Step(String step, Instant at, Double millisSincePrice, Double millisSincePreviousStep) {
    }

    /**
     * An order's way through the pipeline: when each step happened (null: not yet, or not on this
     * broker), and the trace that follows it across the services.
     */
    public record TimelineView(String orderId, String strategy, String ticker, OrderStatus status, String traceId,
                               String traceUrl, List<Step> steps) {
    }

    @GET
    @Path("orders/{orderId}/timeline")
    public TimelineView timeline(@PathParam("orderId") @Identifier String orderId, @QueryParam("local") boolean local,
                                 @QueryParam(Assignment.PARAMETER) String partitions) {
        return find(orderId, local, partitions, "/timeline", TimelineView.class, this::timelineOf);
    }

    private TimelineView timelineOf(OrderRecord order) {
        OrderTimeline times = order.timeline();
        String[] names = {"price published", "decided", "readable on orders", "risk-checked", "sent", "acknowledged",
                order.status() == OrderStatus.REJECTED ? "rejected" : "filled"};
        long[] micros = {order.pricePublishTimeMicros(), order.decisionTimeMicros(), times.receivedMicros(),
                times.riskCheckedMicros(), times.sentMicros(), times.acknowledgedMicros(), times.completedMicros()};
        List<Step> steps = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < names.length; i++) {
            long at = micros[i];
            steps.add(new Step(names[i], at == 0 ? null : Instant.EPOCH.plus(at, ChronoUnit.MICROS),
                    at == 0 || micros[0] == 0 ? null : (at - micros[0]) / 1_000.0,
                    at == 0 || previous == 0 ? null : (at - previous) / 1_000.0));
            if (at != 0) {
                previous = at;
            }
        }
        String traceId = TraceHeaders.traceIdOf(times.traceparent());
        return new TimelineView(order.orderId(), order.strategy(), order.ticker(), order.status(), traceId,
                traceId == null ? null : traceUi.map(url -> url.replace("{traceId}", traceId)).orElse(null), steps);
    }

    /**
     * An order by id: from this instance's stores, else (unless asked as a peer) from whichever
     * instance holds it; the id does not say which ticker, and so which instance.
     */
    private <T> T find(String orderId, boolean local, String partitions, String subPath, Class<T> type,
                       java.util.function.Function<OrderRecord, T> view) {
        checkLocal(local, partitions);
        Optional<T> found = queries.order(orderId).map(view);
        if (found.isEmpty() && !local) {
            found = others.<T>askAll("/orders/" + orderId + subPath + "?local=true", others.typeOf(type))
                    .stream().flatMap(Optional::stream).findFirst();
        }
        return found.orElseThrow(() -> new NotFoundException("no order with id '" + orderId + "'"));
    }

    @GET
    @Path("positions")
    public List<PositionView> positions(@QueryParam("strategy") @Identifier String strategy,
                                        @QueryParam("ticker") @Identifier String ticker,
                                        @QueryParam("local") boolean local,
                                        @QueryParam(Assignment.PARAMETER) String partitions) {
        checkLocal(local, partitions);
        Map<String, Mark> marks = queries.marks();
        List<PositionView> views = new ArrayList<>(queries.positions().stream()
                .filter(book -> strategy == null || strategy.equals(book.strategy()))
                .filter(book -> ticker == null || ticker.equals(book.ticker()))
                .map(book -> PositionView.of(book, marks.get(book.ticker())))
                .toList());
        if (!local) {
            others.<List<PositionView>>askAll("/positions?local=true" + (strategy == null ? "" : "&strategy=" + strategy)
                            + (ticker == null ? "" : "&ticker=" + ticker),
                    others.listOf(PositionView.class)).forEach(answer -> answer.ifPresent(views::addAll));
        }
        views.sort(Comparator.comparing(PositionView::strategy).thenComparing(PositionView::ticker));
        return views;
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
        for (PositionView position : positions(null, null, false, null)) {
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
    public Stats stats(@QueryParam("local") boolean local, @QueryParam(Assignment.PARAMETER) String partitions) {
        checkLocal(local, partitions);
        Map<OrderStatus, Long> byStatus = new EnumMap<>(OrderStatus.class);
        Map<String, Long> byStrategy = new TreeMap<>();
        long count = 0;
        // counts the topology keeps per strategy and status: no order is read
        for (var strategyCounts : queries.counts().entrySet()) {
            for (var statusCount : strategyCounts.getValue().entrySet()) {
                if (statusCount.getValue() != 0) {
                    byStatus.merge(statusCount.getKey(), statusCount.getValue(), Long::sum);
                }
                byStrategy.merge(strategyCounts.getKey(), statusCount.getValue(), Long::sum);
                count += statusCount.getValue();
            }
        }
        if (!local) {
            for (Optional<Stats> theirs : others.<Stats>askAll("/stats?local=true", others.typeOf(Stats.class))) {
                if (theirs.isPresent()) {
                    count += theirs.get().orders();
                    theirs.get().byStatus().forEach((status, n) -> byStatus.merge(status, n, Long::sum));
                    theirs.get().byStrategy().forEach((strategy, n) -> byStrategy.merge(strategy, n, Long::sum));
                }
            }
        }
        return new Stats(count, byStatus, byStrategy);
    }

    /**
     * For a local answer, the partitions of {@code orders} it covers (checked readable); null otherwise.
     * A local answer is for peers only, and only when this instance can read every partition it is
     * asked for; {@code partitions} belongs to local answers alone.
     */
    private Set<Integer> checkLocal(boolean local, String partitions) {
        peers.checkLocal(local, caller);
        if (local) {
            return others.requireLocal(partitions);
        }
        if (partitions != null) {
            throw new BadRequestException(Assignment.PARAMETER + " is only for ?local=true");
        }
        return null;
    }

}
