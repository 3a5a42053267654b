package trading.exchange;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * An order as the exchange holds it, by the client's order id (FIX ClOrdID). Immutable: each
 * change is a new value, which is also what the journal records.
 */
public record SimulatedOrder(
        String clOrdId,
        String exchangeOrderId,
        String session,
        String symbol,
        boolean buy,
        BigDecimal quantity,
        BigDecimal limitPrice,
        BigDecimal filledQuantity,
        BigDecimal averagePrice,
        Status status,
        String reason,
        int fills,
        long receivedAtMillis) {

    public enum Status { NEW, PARTIALLY_FILLED, FILLED, REJECTED }

    public boolean isLimit() {
        return limitPrice != null;
    }

    public boolean isDone() {
        return status == Status.FILLED || status == Status.REJECTED;
    }

    public BigDecimal remaining() {
        return quantity.subtract(filledQuantity);
    }

    /** Whether a limit order may trade at {@code price} (a market order always may). */
    public boolean tradesAt(BigDecimal price) {
        return !isLimit() || (buy ? price.compareTo(limitPrice) <= 0 : price.compareTo(limitPrice) >= 0);
    }

    SimulatedOrder rejected(String why) {
        return new SimulatedOrder(clOrdId, exchangeOrderId, session, symbol, buy, quantity, limitPrice, filledQuantity,
                averagePrice, Status.REJECTED, why, fills, receivedAtMillis);
    }

    SimulatedOrder filled(BigDecimal lastQuantity, BigDecimal lastPrice) {
        BigDecimal total = filledQuantity.add(lastQuantity);
        BigDecimal average = averagePrice.multiply(filledQuantity).add(lastPrice.multiply(lastQuantity))
                .divide(total, MathContext.DECIMAL128);
        Status next = total.compareTo(quantity) >= 0 ? Status.FILLED : Status.PARTIALLY_FILLED;
        return new SimulatedOrder(clOrdId, exchangeOrderId, session, symbol, buy, quantity, limitPrice, total, average,
                next, reason, fills + 1, receivedAtMillis);
    }
}
