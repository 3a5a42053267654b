package trading.strategy;

import trading.schema.state.CompactReader;
import trading.schema.state.CompactWriter;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A trading rule over the prices of one ticker: pure code, no Kafka, no clock.
 *
 * <p>{@code I} is the rule's indicator state (immutable); it is kept per ticker in a state store by
 * the plumbing, which also handles duplicates, positions and orders. The rule says how its
 * indicators are written in the store's compact form ({@link #writeIndicators}); they are also
 * JSON-serialisable, the form queries between instances use and earlier releases stored.
 *
 * @param <I> the indicator state
 */
public interface SignalRule<I> {

    /**
     * The strategy's name, as it appears in orders and order ids: the catalog entry's
     * {@code strategy.name}, given to {@link RuleType#create}, so one rule serves several strategies.
     */
    String name();

    Class<I> indicatorType();

    /** The indicators before any price. */
    I initial();

    /** Applies one price: the new indicators, and a signal when the rule fires in this position. */
    Evaluation<I> evaluate(I indicators, BigDecimal price, Position position);

    /** Writes the indicators in the store's compact form, read back by {@link #readIndicators}. */
    void writeIndicators(I indicators, CompactWriter out);

    /** Reads indicators written in state format {@code format} (the current one or an earlier one). */
    I readIndicators(int format, CompactReader in);

    /** The indicator values users see, by name (null while undefined), in a stable order. */
    Map<String, BigDecimal> values(I indicators);

    /** The outcome of one price: new indicators and a signal, or null for none. */
    record Evaluation<I>(I indicators, Signal signal) {
    }
}
