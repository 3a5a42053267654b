package trading.execution;

import trading.schema.Order;

import java.math.BigDecimal;

/**
 * What order-execution knows of one order, kept by order id in its store: the order as received,
 * and its latest status at the broker.
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
        long updatedTimeMicros) {

    public static OrderRecord received(Order order, String broker, long nowMicros) {
        return new OrderRecord(order.getOrderId(), order.getStrategy(), order.getTicker(),
                order.getSide() == null ? null : order.getSide().name(), order.getQuantity(), order.getReferencePrice(),
                order.getPriceSource(), order.getPriceSequence(), OrderStatus.NEW, BigDecimal.ZERO, null, broker,
                null, null, null, micros(order.getDecisionTime()), nowMicros);
    }

    public OrderRecord rejected(String why, long nowMicros) {
        return new OrderRecord(orderId, strategy, ticker, side, quantity, referencePrice, priceSource, priceSequence,
                OrderStatus.REJECTED, filledQuantity, fillPrice, broker, brokerOrderId, brokerExecId, why,
                decisionTimeMicros, nowMicros);
    }

    public OrderRecord filled(BigDecimal quantityFilled, BigDecimal price, String brokerOrder, String brokerExec,
                              long nowMicros) {
        BigDecimal total = filledQuantity.add(quantityFilled);
        OrderStatus next = total.compareTo(quantity) >= 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
        return new OrderRecord(orderId, strategy, ticker, side, quantity, referencePrice, priceSource, priceSequence,
                next, total, price, broker, brokerOrder, brokerExec, reason, decisionTimeMicros, nowMicros);
    }

    static long micros(java.time.Instant instant) {
        return instant == null ? 0 : instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
