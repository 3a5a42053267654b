package trading.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The simulated exchange's order book, without any FIX: orders by ClOrdID, what happens to them,
 * and the reports that go back. Every change is handed to the journal before the report is
 * returned, so a report never describes something the exchange could forget on a restart.
 *
 * <p>A ClOrdID is accepted once. A second order with the same id creates nothing: it is answered
 * with the first order's status and counted in {@link Stats#duplicates()}.
 */
public final class ExchangeBook {

    /** What the exchange tells the client. */
    public enum ReportType { NEW, FILL, REJECTED, STATUS, UNKNOWN }

    /** One execution report: the order after the event, and for a fill its quantity and price. */
    public record Report(ReportType type, SimulatedOrder order, String clOrdId, BigDecimal lastQuantity,
                         BigDecimal lastPrice, String execId) {
    }

    /** An order as it arrives. {@code limitPrice} is null for a market order. */
    public record Submission(String clOrdId, String session, String symbol, boolean buy, BigDecimal quantity,
                             BigDecimal limitPrice, boolean possibleResend) {
        public Submission(String clOrdId, String session, String symbol, boolean buy, BigDecimal quantity,
                          BigDecimal limitPrice) {
            this(clOrdId, session, symbol, buy, quantity, limitPrice, false);
        }
    }

    /**
     * {@code duplicates}: a new order message with a ClOrdID already taken, i.e. the client sent an
     * order twice; {@code resends}: the session layer delivering again (PossDupFlag) a message
     * already received, as FIX does after a restart. Neither books a second order.
     */
    public record Stats(long orders, long duplicates, long resends, long fills, long rejected, long statusRequests) {
    }

    private final ExchangeRules rules;
    private final Consumer<SimulatedOrder> journal;
    private final Map<String, SimulatedOrder> orders = new LinkedHashMap<>();
    /** Orders not yet done, by symbol: what a new price may fill, without walking every order ever taken. */
    private final Map<String, Map<String, SimulatedOrder>> workingBySymbol = new java.util.HashMap<>();
    private final Map<String, BigDecimal> lastPrices = new LinkedHashMap<>();
    private long duplicates;
    private long resends;
    private long fills;
    private long statusRequests;
    private long nextOrderNumber;

    /**
     * @param recovered orders from the journal of an earlier run, in the order they were written
     * @param journal   receives every changed order before its report leaves
     */
    public ExchangeBook(ExchangeRules rules, Collection<SimulatedOrder> recovered, Consumer<SimulatedOrder> journal) {
        this.rules = rules;
        this.journal = journal;
        for (SimulatedOrder order : recovered) {
            index(order);
        }
        this.nextOrderNumber = orders.size();
        this.fills = orders.values().stream().mapToLong(SimulatedOrder::fills).sum();
    }

    public ExchangeRules rules() {
        return rules;
    }

    /** A new order: rejected, accepted (and filled at once when it can and no fill delay applies), or a duplicate. */
    public synchronized List<Report> submit(Submission submission, long nowMillis) {
        SimulatedOrder existing = orders.get(submission.clOrdId());
        if (existing != null) {
            if (submission.possibleResend()) {
                resends++;
            } else {
                duplicates++;
            }
            return List.of(new Report(ReportType.STATUS, existing, existing.clOrdId(), null, null, null));
        }
        nextOrderNumber++;
        SimulatedOrder order = new SimulatedOrder(submission.clOrdId(), "X" + nextOrderNumber, submission.session(),
                submission.symbol(), submission.buy(), submission.quantity(), submission.limitPrice(), BigDecimal.ZERO,
                BigDecimal.ZERO, SimulatedOrder.Status.NEW, null, 0, nowMillis);
        String problem = problem(submission);
        if (problem != null) {
            return List.of(reject(order, problem));
        }
        record(order);
        List<Report> reports = new ArrayList<>();
        reports.add(new Report(ReportType.NEW, order, order.clOrdId(), null, null, order.exchangeOrderId() + "-0"));
        if (rules.fillDelay().isZero()) {
            reports.addAll(fillIfPossible(order.clOrdId()));
        }
        return reports;
    }

    private String problem(Submission submission) {
        if (submission.quantity().signum() <= 0) {
            return "quantity must be positive";
        }
        if (submission.limitPrice() != null && submission.limitPrice().signum() <= 0) {
            return "limit price must be positive";
        }
        if (rules.rejects(submission.clOrdId())) {
            return "simulated rejection";
        }
        if (submission.limitPrice() == null && !lastPrices.containsKey(submission.symbol())) {
            return "no market price for " + submission.symbol() + " yet";
        }
        return null;
    }

    private Report reject(SimulatedOrder order, String why) {
        SimulatedOrder rejected = order.rejected(why);
        record(rejected);
        return new Report(ReportType.REJECTED, rejected, rejected.clOrdId(), null, null, rejected.exchangeOrderId() + "-0");
    }

    /**
     * Fills what is left of an accepted order at the last market price, in the configured number of
     * parts, if the price allows; nothing when the order is done, unknown or a limit not reached.
     */
    public synchronized List<Report> fillIfPossible(String clOrdId) {
        SimulatedOrder order = orders.get(clOrdId);
        if (order == null || order.isDone()) {
            return List.of();
        }
        BigDecimal price = lastPrices.get(order.symbol());
        if (price == null || !order.tradesAt(price)) {
            return List.of();
        }
        List<Report> reports = new ArrayList<>();
        int partsLeft = rules.fillParts() - order.fills();
        while (!order.isDone()) {
            BigDecimal part = partsLeft <= 1 ? order.remaining()
                    : order.quantity().divide(BigDecimal.valueOf(rules.fillParts()), 8, RoundingMode.DOWN);
            if (part.signum() <= 0 || part.compareTo(order.remaining()) > 0) {
                part = order.remaining();
            }
            order = order.filled(part, price);
            record(order);
            fills++;
            partsLeft--;
            reports.add(new Report(ReportType.FILL, order, order.clOrdId(), part, price,
                    order.exchangeOrderId() + "-" + order.fills()));
        }
        return reports;
    }

    /** A new market price: working orders it reaches are filled (limit orders that were waiting, market orders accepted before a restart). */
    public synchronized List<Report> price(String symbol, BigDecimal price) {
        lastPrices.put(symbol, price);
        Map<String, SimulatedOrder> working = workingBySymbol.get(symbol);
        if (!rules.fillDelay().isZero() || working == null || working.isEmpty()) {
            return List.of(); // delayed orders are filled by their timer
        }
        List<Report> reports = new ArrayList<>();
        for (String clOrdId : List.copyOf(working.keySet())) {
            reports.addAll(fillIfPossible(clOrdId));
        }
        return reports;
    }

    /** The answer to an order status request: the order's status, or UNKNOWN when this id never arrived. */
    public synchronized Report status(String clOrdId) {
        statusRequests++;
        SimulatedOrder order = orders.get(clOrdId);
        return order == null ? new Report(ReportType.UNKNOWN, null, clOrdId, null, null, null)
                : new Report(ReportType.STATUS, order, clOrdId, null, null, null);
    }

    public synchronized Optional<SimulatedOrder> find(String clOrdId) {
        return Optional.ofNullable(orders.get(clOrdId));
    }

    public synchronized List<SimulatedOrder> orders() {
        return List.copyOf(orders.values());
    }

    /** Orders accepted but not yet done: after a restart, their fills are still owed. */
    public synchronized List<SimulatedOrder> working() {
        return workingBySymbol.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    public synchronized Optional<BigDecimal> lastPrice(String symbol) {
        return Optional.ofNullable(lastPrices.get(symbol));
    }

    public synchronized Stats stats() {
        long rejected = orders.values().stream().filter(o -> o.status() == SimulatedOrder.Status.REJECTED).count();
        return new Stats(orders.size(), duplicates, resends, fills, rejected, statusRequests);
    }

    private void record(SimulatedOrder order) {
        journal.accept(order);
        index(order);
    }

    private void index(SimulatedOrder order) {
        orders.put(order.clOrdId(), order);
        Map<String, SimulatedOrder> working = workingBySymbol.computeIfAbsent(order.symbol(), s -> new LinkedHashMap<>());
        if (order.isDone()) {
            working.remove(order.clOrdId());
        } else {
            working.put(order.clOrdId(), order);
        }
    }
}
