package trading.execution;

import java.math.BigDecimal;

/**
 * The built-in broker: fills every order in full at its reference price, at once. It keeps no
 * state of its own, so handing it an order inside the Streams transaction is exactly-once.
 */
public final class PaperBroker {

    public static final String NAME = "paper";

    /** The order after the broker's answer. */
    public OrderRecord execute(OrderRecord order, long nowMicros) {
        BigDecimal price = order.referencePrice();
        return order.filled(order.quantity(), price, "paper-" + order.orderId(), "paper-fill-" + order.orderId(), nowMicros);
    }
}
