package trading.strategy.streams;

import java.util.Arrays;

/**
 * How a strategy's orders reach {@code orders} exactly once in effect: its Kafka Streams
 * {@code processing.guarantee}, chosen per strategy by {@code strategy.processing} in its catalog
 * entry. The argument for each, case by case, is in docs/architecture.md.
 */
public enum Processing {

    /**
     * At-least-once with an idempotent producer: an order is on the topic as soon as the producer
     * sends it (a few milliseconds of linger), with no transaction per commit interval. A price
     * delivered again sends the order it decided again (same id, from the ticker's
     * {@link trading.strategy.RecentDecisions}); order-execution takes each id once.
     */
    IDEMPOTENT("at_least_once"),

    /**
     * Exactly-once transactions: the state, the orders and the input offsets of a commit interval
     * are written together or not at all, and an instance cut off is fenced. An order is readable
     * only when its transaction commits.
     */
    TRANSACTIONAL("exactly_once_v2");

    private final String guarantee;

    Processing(String guarantee) {
        this.guarantee = guarantee;
    }

    /** The Kafka Streams {@code processing.guarantee} of this mode. */
    public String guarantee() {
        return guarantee;
    }

    /** The mode a Streams {@code processing.guarantee} runs. */
    public static Processing ofGuarantee(String guarantee) {
        return Arrays.stream(values()).filter(p -> p.guarantee.equals(guarantee)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("processing.guarantee must be at_least_once (strategy.processing="
                        + "idempotent) or exactly_once_v2 (transactional), was '" + guarantee + "'"));
    }
}
