package trading.execution;

/**
 * The built-in broker: fills every order in full at its reference price, at once. It keeps no
 * state of its own, so handing it an order inside the Streams transaction is exactly-once.
 */
public final class PaperBroker {

    public static final String NAME = "paper";

    private PaperBroker() {
    }

    /** The order after the broker's answer. */
    public static OrderRecord execute(OrderRecord order, long nowMicros) {
        return order.filled(order.quantity(), order.referencePrice(), "paper-" + order.orderId(),
                "paper-fill-" + order.orderId(), nowMicros);
    }
}
