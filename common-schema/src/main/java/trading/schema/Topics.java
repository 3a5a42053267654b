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

    /** Ticker-keyed orders that passed the risk gate and wait for the FIX gateway: the outbox. */
    public static final String BROKER_ORDERS = "broker.orders";
    /** Ticker-keyed {@code BrokerEvent}s: what the FIX gateway sent and what the broker answered. */
    public static final String BROKER_EVENTS = "broker.events";
    /** The kill switch ({@code TradingControl}), compacted, one partition. */
    public static final String TRADING_CONTROL = "trading.control";

    /**
     * A topic the stack creates, with an explicit partition count (broker auto-creation is off);
     * a compacted topic keeps only the latest record per key.
     */
    public record Spec(String name, int partitions, boolean compacted) {
        public Spec(String name, int partitions) {
            this(name, partitions, false);
        }
    }

    public static final List<Spec> ALL = List.of(
            new Spec(PRICES, 12),
            new Spec(ORDERS, 12),
            new Spec(EXECUTIONS, 12),
            new Spec(PRICES_DLQ, 1),
            new Spec(ORDERS_DLQ, 1),
            // same partition count as orders: order-execution joins both by ticker in one task
            new Spec(BROKER_ORDERS, 12),
            new Spec(BROKER_EVENTS, 12),
            new Spec(TRADING_CONTROL, 1, true));

    private Topics() {
    }
}
