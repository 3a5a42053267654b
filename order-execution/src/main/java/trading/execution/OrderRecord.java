package trading.execution;

import trading.schema.Order;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What order-execution knows of one order, kept by order id in its store: the order as received,
 * and its latest status at the broker. Each transition returns a new record.
 */
public record OrderRecord(
        String orderId,
        String strategy,
        String ticker,
        String side,
        BigDecimal quantity,
        BigDecimal referencePrice,
        String priceSource,
        long priceSequence,
        OrderStatus status,
        BigDecimal filledQuantity,
        BigDecimal fillPrice,
        String broker,
        String brokerOrderId,
        String brokerExecId,
        String reason,
        long decisionTimeMicros,
        long pricePublishTimeMicros,
        long updatedTimeMicros,
        OrderTimeline timeline) {

    public OrderRecord {
        // orders stored as JSON by earlier releases have no timeline
        timeline = timeline == null ? OrderTimeline.NONE : timeline;
    }

    public static OrderRecord received(Order order, String broker, long nowMicros) {
        return new OrderRecord(order.getOrderId(), order.getStrategy(), order.getTicker(),
                order.getSide() == null ? null : order.getSide().name(), order.getQuantity(), order.getReferencePrice(),
                order.getPriceSource(), order.getPriceSequence(), OrderStatus.NEW, BigDecimal.ZERO, null, broker,
                null, null, null, micros(order.getDecisionTime()), micros(order.getPricePublishTime()), nowMicros,
                OrderTimeline.received(nowMicros));
    }

    public boolean buy() {
        return "BUY".equals(side);
    }

    public boolean isDone() {
        return status == OrderStatus.FILLED || status == OrderStatus.REJECTED;
    }

    /** Quantity neither filled nor given up: still working at the broker. */
    public BigDecimal working() {
        return isDone() ? BigDecimal.ZERO : quantity.subtract(filledQuantity).max(BigDecimal.ZERO);
    }

    public OrderRecord rejected(String why, long nowMicros) {
        return with(OrderStatus.REJECTED, filledQuantity, fillPrice, brokerOrderId, brokerExecId, why, nowMicros)
                .withTimeline(timeline.completed(nowMicros));
    }

    /** The risk checks were passed (or failed) at {@code nowMicros}, within the trace {@code traceparent}. */
    public OrderRecord riskChecked(long nowMicros, String traceparent) {
        return withTimeline(timeline.riskChecked(nowMicros, traceparent));
    }

    public OrderRecord sent(long nowMicros) {
        return with(OrderStatus.SENT, filledQuantity, fillPrice, brokerOrderId, brokerExecId, reason, nowMicros)
                .withTimeline(timeline.sent(nowMicros));
    }

    /** The broker took the order under its own id; the status stays what it was. */
    public OrderRecord acknowledged(String brokerOrder, long nowMicros) {
        return with(status, filledQuantity, fillPrice, brokerOrder, brokerExecId, reason, nowMicros)
                .withTimeline(timeline.acknowledged(nowMicros));
    }

    public OrderRecord withTimeline(OrderTimeline next) {
        return new OrderRecord(orderId, strategy, ticker, side, quantity, referencePrice, priceSource, priceSequence,
                status, filledQuantity, fillPrice, broker, brokerOrderId, brokerExecId, reason, decisionTimeMicros,
                pricePublishTimeMicros, updatedTimeMicros, next);
    }

    /** After a fill of {@code quantityFilled} at {@code price}. */
    public OrderRecord filled(BigDecimal quantityFilled, BigDecimal price, String brokerOrder, String brokerExec,
                              long nowMicros) {
        BigDecimal total = filledQuantity.add(quantityFilled);
        BigDecimal average = fillPrice == null || filledQuantity.signum() == 0 ? price
                : fillPrice.multiply(filledQuantity).add(price.multiply(quantityFilled)).divide(total, MathContext.DECIMAL128);
        OrderStatus next = total.compareTo(quantity) >= 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
        OrderRecord filled = with(next, total, average, brokerOrder, brokerExec, reason, nowMicros);
        return next == OrderStatus.FILLED ? filled.withTimeline(timeline.completed(nowMicros)) : filled;
    }

    private OrderRecord with(OrderStatus nextStatus, BigDecimal filled, BigDecimal price, String brokerOrder,
                             String brokerExec, String why, long nowMicros) {
        return new OrderRecord(orderId, strategy, ticker, side, quantity, referencePrice, priceSource, priceSequence,
                nextStatus, filled, price, broker, brokerOrder, brokerExec, why, decisionTimeMicros,
                pricePublishTimeMicros, nowMicros, timeline);
    }

    static long micros(java.time.Instant instant) {
        return instant == null ? 0 : instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
