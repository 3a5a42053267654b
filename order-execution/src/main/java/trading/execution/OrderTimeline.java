package trading.execution;

/**
 * When order-execution saw each step of an order, in microseconds since the epoch (0: not yet),
 * and the trace the order belongs to: what {@code GET /orders/{orderId}/timeline} shows beside the
 * times the order itself carries (its price's publication and the strategy's decision).
 *
 * @param receivedMicros     order-execution read the order from {@code orders}, that is once it was readable there
 * @param riskCheckedMicros  validation, the kill switch and the risk limits were passed (or the order was rejected)
 * @param sentMicros         the broker took the order (paper), or the FIX gateway sent it
 * @param acknowledgedMicros the broker accepted it under its own id
 * @param completedMicros    filled in full, or rejected
 * @param traceparent        the W3C traceparent of order-execution's span of this order (null: untraced)
 */
public record OrderTimeline(long receivedMicros, long riskCheckedMicros, long sentMicros, long acknowledgedMicros,
                            long completedMicros, String traceparent) {

    /** What an order stored by a release without timelines has. */
    public static final OrderTimeline NONE = new OrderTimeline(0, 0, 0, 0, 0, null);

    public static OrderTimeline received(long nowMicros) {
        return new OrderTimeline(nowMicros, 0, 0, 0, 0, null);
    }

    public OrderTimeline riskChecked(long micros, String traceparentOfTheOrder) {
        return new OrderTimeline(receivedMicros, first(riskCheckedMicros, micros), sentMicros, acknowledgedMicros,
                completedMicros, traceparentOfTheOrder);
    }

    public OrderTimeline sent(long micros) {
        return new OrderTimeline(receivedMicros, riskCheckedMicros, first(sentMicros, micros), acknowledgedMicros,
                completedMicros, traceparent);
    }

    public OrderTimeline acknowledged(long micros) {
        return new OrderTimeline(receivedMicros, riskCheckedMicros, sentMicros, first(acknowledgedMicros, micros),
                completedMicros, traceparent);
    }

    public OrderTimeline completed(long micros) {
        return new OrderTimeline(receivedMicros, riskCheckedMicros, sentMicros, acknowledgedMicros,
                first(completedMicros, micros), traceparent);
    }

    /** A step is timed once: a repeated broker event does not move it. */
    private static long first(long current, long micros) {
        return current != 0 ? current : micros;
    }
}
