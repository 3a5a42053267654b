package trading.schema;

import java.util.List;

/**
 * Every topic of the pipeline, in one place: services, the local stack, tests and the
 * deployment checks all use these names and partition counts.
 */
public final class Topics {

    /** Ticker-keyed prices from price-feed (simulated or replayed). */
    public static final String PRICES = "prices";
    /** Ticker-keyed orders from the strategies. */
    public static final String ORDERS = "orders";
    /** Order-id-keyed execution reports from order-execution. */
    public static final String EXECUTIONS = "executions";
    /** Records of {@link #PRICES} that could not be decoded or validated, with the reason in headers. */
    public static final String PRICES_DLQ = "prices.dlq";
    /** Records of {@link #ORDERS} that could not be decoded or validated, with the reason in headers. */
    public static final String ORDERS_DLQ = "orders.dlq";

    /** A topic the stack creates, with an explicit partition count (broker auto-creation is off). */
    public record Spec(String name, int partitions) {
    }

    public static final List<Spec> ALL = List.of(
            new Spec(PRICES, 12),
            new Spec(ORDERS, 12),
            new Spec(EXECUTIONS, 12),
            new Spec(PRICES_DLQ, 1),
            new Spec(ORDERS_DLQ, 1));

    private Topics() {
    }
}
