package trading.strategy.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import trading.schema.Decimals;
import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.SignalRule;
import trading.strategy.TickerState;
import trading.strategy.streams.StateQueries;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ticker's state as {@code GET /state/{ticker}} shows it: the common fields, then the rule's
 * indicators by name (what {@link SignalRule#values} returns; {@code GET /strategy} says how to
 * draw them), null while undefined: both at the top level, as earlier releases answered, and under
 * {@code indicators}, which a client that knows no rule reads. {@code stale} is true when the owner did not answer and a standby copy did, with
 * {@code staleByRecords}, how far its changelog is behind.
 */
@JsonPropertyOrder({"ticker", "lastPrice", "sequence", "source", "updates", "skipped", "position", "lastSignal",
        "answeredBy", "stale", "staleByRecords", "indicators"})
public final class TickerStateView {

    public final String ticker;
    public final BigDecimal lastPrice;
    public final long sequence;
    public final String source;
    public final long updates;
    public final long skipped;
    public final Position position;
    public final Signal lastSignal;
    public final String answeredBy;
    public final boolean stale;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public final Long staleByRecords;
    private final Map<String, BigDecimal> indicators;

    TickerStateView(StateQueries.Answer answer, SignalRule<?> rule) {
        this(answer.state(), rule, answer.answeredBy().host() + ":" + answer.answeredBy().port(), answer.stale(),
                answer.stale() ? answer.staleByRecords() : null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private TickerStateView(TickerState<?> state, SignalRule<?> rule, String answeredBy, boolean stale, Long staleByRecords) {
        this.ticker = state.ticker();
        this.lastPrice = Decimals.forDisplay(state.lastPrice());
        this.sequence = state.lastSequence();
        this.source = state.lastSource();
        this.updates = state.updates();
        this.skipped = state.skipped();
        this.position = state.position();
        this.lastSignal = state.lastSignal();
        this.answeredBy = answeredBy;
        this.stale = stale;
        this.staleByRecords = staleByRecords;
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        ((SignalRule) rule).values(state.indicators()).forEach((name, value) ->
                values.put((String) name, Decimals.forDisplay((BigDecimal) value)));
        this.indicators = values;
    }

    @JsonAnyGetter
    public Map<String, BigDecimal> topLevelIndicators() {
        return indicators;
    }

    @JsonProperty("indicators")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Map<String, BigDecimal> indicators() {
        return indicators;
    }
}
