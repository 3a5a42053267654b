package trading.execution;

import trading.schema.Decimals;
import trading.schema.Order;

import java.math.BigDecimal;

/**
 * What an order must be before it may reach a broker. An order that fails is rejected with the
 * reason; it never reaches the broker.
 */
public final class OrderChecks {

    private OrderChecks() {
    }

    /** The problem with the order, or null when it may be sent. */
    public static String problem(Order order) {
        if (order.getOrderId() == null || order.getOrderId().isBlank()) {
            return "order id is empty";
        }
        if (order.getSide() == null) {
            return "side is missing";
        }
        if (order.getQuantity() == null || order.getQuantity().signum() <= 0) {
            return "quantity must be positive, was " + plain(order.getQuantity());
        }
        if (order.getReferencePrice() == null || order.getReferencePrice().signum() <= 0) {
            return "reference price must be positive, was " + plain(order.getReferencePrice());
        }
        if (order.getTicker() == null || order.getTicker().isBlank()) {
            return "ticker is empty";
        }
        if (order.getStrategy() == null || order.getStrategy().isBlank()) {
            return "strategy is empty";
        }
        return null;
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? "nothing" : Decimals.forDisplay(amount).toPlainString();
    }
}
