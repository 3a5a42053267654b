package trading.dashboard;

import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest orders and what became of them: a strategy's decision on {@code orders} makes a row
 * DECIDED; order-execution's reports on {@code executions} move it on (NEW, SENT, PARTIALLY_FILLED,
 * FILLED or REJECTED with the reason). The two topics are read side by side, so a report may
 * arrive before its order: a row never moves back to an earlier status.
 */
@ApplicationScoped
public class Blotter {

    /** Orders kept; older ones are on order-execution's {@code GET /orders}. */
    static final int CAPACITY = 1_000;

    /** Status order; a row keeps the furthest one it has seen. */
    private static final List<String> PROGRESS = List.of("DECIDED", "NEW", "SENT", "PARTIALLY_FILLED", "FILLED", "REJECTED");

    public record OrderRow(String orderId, String strategy, String ticker, String side, BigDecimal quantity,
                           BigDecimal referencePrice, long decisionTimeMicros, long priceEventTimeMillis, String status,
                           BigDecimal filledQuantity, BigDecimal fillPrice, String reason, long updatedMicros) {

        OrderRow advancedTo(String nextStatus, BigDecimal filled, BigDecimal price, String why, long atMicros) {
            boolean finished = status.equals("FILLED") || status.equals("REJECTED");
            if (finished || PROGRESS.indexOf(nextStatus) < PROGRESS.indexOf(status)) {
                return this;
            }
            return new OrderRow(orderId, strategy, ticker, side, quantity, referencePrice, decisionTimeMicros,
                    priceEventTimeMillis, nextStatus, filled, price, why, atMicros);
        }
    }

    private final LinkedHashMap<String, OrderRow> rows = new LinkedHashMap<>();
    private final Coalescer<String, OrderRow> changed = new Coalescer<>();

    /** A strategy's order, from {@code orders}. */
    synchronized void onOrder(String orderId, String strategy, String ticker, String side, BigDecimal quantity,
                              BigDecimal referencePrice, long decisionTimeMicros, long priceEventTimeMillis) {
        OrderRow row = rows.get(orderId);
        if (row == null) {
            row = new OrderRow(orderId, strategy, ticker, side, quantity, referencePrice, decisionTimeMicros,
                    priceEventTimeMillis, "DECIDED", null, null, null, decisionTimeMicros);
        } else if (row.priceEventTimeMillis() == 0) {
            // the report came first: keep its status, add what only the order says
            row = new OrderRow(orderId, strategy, ticker, side, quantity, referencePrice, decisionTimeMicros,
                    priceEventTimeMillis, row.status(), row.filledQuantity(), row.fillPrice(), row.reason(), row.updatedMicros());
        } else {
            return; // seen before (the dashboard re-read the topic)
        }
        put(row);
    }

    /** An execution report, from {@code executions}. */
    synchronized void onReport(String orderId, String strategy, String ticker, String side, BigDecimal quantity,
                               BigDecimal referencePrice, long decisionTimeMicros, String status,
                               BigDecimal filledQuantity, BigDecimal fillPrice, String reason, long reportTimeMicros) {
        OrderRow row = rows.get(orderId);
        if (row == null) {
            row = new OrderRow(orderId, strategy, ticker, side, quantity, referencePrice, decisionTimeMicros, 0,
                    "DECIDED", null, null, null, decisionTimeMicros);
        }
        OrderRow next = row.advancedTo(status, filledQuantity, fillPrice, reason, reportTimeMicros);
        if (next != row) {
            put(next);
        }
    }

    private void put(OrderRow row) {
        rows.put(row.orderId(), row);
        changed.offer(row.orderId(), row);
        if (rows.size() > CAPACITY) {
            Iterator<OrderRow> oldest = rows.values().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Rows changed since the last call, each once, newest state. */
    List<OrderRow> changedRows() {
        return changed.drain();
    }

    /** The newest {@code limit} rows matching the filters (null: any), newest first. */
    synchronized List<OrderRow> newest(String strategy, String ticker, int limit) {
        List<OrderRow> all = new ArrayList<>(rows.values());
        List<OrderRow> matching = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && matching.size() < limit; i--) {
            OrderRow row = all.get(i);
            if ((strategy == null || strategy.equals(row.strategy())) && (ticker == null || ticker.equals(row.ticker()))) {
                matching.add(row);
            }
        }
        return matching;
    }

    /** Rows by status, for the status panel. */
    synchronized Map<String, Integer> countsByStatus() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        PROGRESS.forEach(status -> counts.put(status, 0));
        rows.values().forEach(row -> counts.merge(row.status(), 1, Integer::sum));
        return counts;
    }
}
