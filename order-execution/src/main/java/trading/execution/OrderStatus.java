package trading.execution;

/** Where an order is in its life; the same names as {@link trading.schema.ExecutionStatus}. */
public enum OrderStatus {
    NEW,
    SENT,
    PARTIALLY_FILLED,
    FILLED,
    REJECTED
}
