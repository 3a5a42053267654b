package trading.strategy;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A trading rule over the prices of one ticker: pure code, no Kafka, no clock.
 *
 * <p>{@code I} is the rule's indicator state (immutable, JSON-serialisable); it is kept per ticker
 * in a state store by the plumbing, which also handles duplicates, positions and orders.
 *
 * @param <I> the indicator state
 */
public interface SignalRule<I> {

    /** The strategy's short name, as it appears in orders ({@code abc}, {@code xyz}). */
    String name();

    Class<I> indicatorType();

    /** The indicators before any price. */
    I initial();

    /** Applies one price: the new indicators, and a signal when the rule fires in this position. */
    Evaluation<I> evaluate(I indicators, BigDecimal price, Position position);

    /** The indicator values users see, by name (null while undefined), in a stable order. */
    Map<String, BigDecimal> values(I indicators);

    /** The outcome of one price: new indicators and a signal, or null for none. */
    record Evaluation<I>(I indicators, Signal signal) {
    }
}
