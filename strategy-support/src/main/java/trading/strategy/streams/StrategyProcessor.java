package trading.strategy.streams;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;
import trading.strategy.RecentDecisions;
import trading.strategy.RecentSignals;
import trading.strategy.SignalEvent;
import trading.strategy.StrategyDefinition;
import trading.strategy.Tick;
import trading.strategy.TickerState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies each price to its ticker's state and forwards the order a signal asks for.
 *
 * <p>An order continues its price's trace: its span is a child of the context in the price's
 * headers, and the order's headers carry the order's span. Prices that fire nothing start no span
 * and read no header, so tracing costs nothing per price, only per order.
 *
 * <p>{@link Processing#IDEMPOTENT}: a price delivered again whose decision the ticker's state
 * kept sends that order again. A decision may be dropped from the state only once its order is
 * acknowledged, which this processor learns from commits (a commit flushes the producer before it
 * commits offsets): orders sent since the last check are counted per ticker, and at each check a
 * commit is asked for; what was counted before the previous check went out with that commit.
 */
final class StrategyProcessor<I> implements Processor<String, Price, String, Order> {

    /** How often sent orders are checked off: a commit is asked for at most this often. */
    static final Duration ACKNOWLEDGEMENT_CHECK = Duration.ofMillis(250);

    private final StrategyDefinition<I> strategy;
    private final Processing processing;
    private final Clock clock;
    private final StrategyMetrics metrics;
    private final Tracer tracer;
    private KeyValueStore<String, TickerState<I>> states;
    private KeyValueStore<String, RecentSignals> signals;
    private ProcessorContext<String, Order> context;
    // per ticker, orders sent and not yet known acknowledged: since the last check, and before it
    private Map<String, Integer> sentSinceCheck = new HashMap<>();
    private Map<String, Integer> sentBeforeCheck = new HashMap<>();

    StrategyProcessor(StrategyDefinition<I> strategy, Processing processing, Clock clock, StrategyMetrics metrics,
                      Tracer tracer) {
        this.strategy = strategy;
        this.processing = processing;
        this.clock = clock;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    @Override
    public void init(ProcessorContext<String, Order> context) {
        this.context = context;
        this.states = context.getStateStore(StrategyTopology.STATE_STORE);
        this.signals = context.getStateStore(StrategyTopology.SIGNALS_STORE);
        if (processing == Processing.IDEMPOTENT) {
            context.schedule(ACKNOWLEDGEMENT_CHECK, PunctuationType.WALL_CLOCK_TIME, now -> checkAcknowledged());
        }
    }

    /**
     * Orders counted before the previous check were sent before the commit asked for then, which
     * has run since (Kafka Streams runs a requested commit in the same pass of its loop): they
     * are acknowledged. What was sent since waits for the commit asked for now.
     */
    private void checkAcknowledged() {
        sentBeforeCheck = sentSinceCheck;
        sentSinceCheck = new HashMap<>();
        if (!sentBeforeCheck.isEmpty()) {
            context.commit();
        }
    }

    private int unacknowledged(String ticker) {
        return sentSinceCheck.getOrDefault(ticker, 0) + sentBeforeCheck.getOrDefault(ticker, 0);
    }

    @Override
    public void process(Record<String, Price> record) {
        Price price = record.value();
        String ticker = price.getTicker();
        TickerState<I> state = states.get(ticker);
        if (state == null) {
            state = TickerState.initial(ticker, strategy.rule());
        }
        Tick tick = new Tick(ticker, price.getPrice(), price.getSource(), price.getSequence(),
                price.getEventTime().toEpochMilli());
        TickerState.Step<I> step = state.apply(strategy.rule(), tick, RecentDecisions.KEPT + unacknowledged(ticker));
        states.put(ticker, step.state());
        if (step.state().skipped() > state.skipped()) {
            metrics.skipped();
            if (step.again() != null && processing == Processing.IDEMPOTENT) {
                // its order may not have reached the topic: the same id again, order-execution takes it once
                send(record, step.again(), Instant.now(clock), true);
            }
            return;
        }
        metrics.applied();
        if (step.signal() != null) {
            // only a price that fires a signal reads the clock or touches the signal history
            Instant now = Instant.now(clock);
            send(record, step.signal(), now, false);
            RecentSignals history = signals.get(ticker);
            signals.put(ticker, (history == null ? RecentSignals.none() : history).with(step.signal()));
            metrics.orderSent(price.getPublishTime(), now);
        }
    }

    private void send(Record<String, Price> record, SignalEvent signal, Instant now, boolean again) {
        Price price = record.value();
        String ticker = price.getTicker();
        Order order = Orders.of(strategy.name(), ticker, signal, strategy.quantity(), price.getPublishTime(), now);
        Span span = tracer.spanBuilder((again ? "decide again " : "decide ") + strategy.name())
                .setParent(TraceHeaders.extract(record.headers()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(TraceAttributes.TICKER, ticker)
                .setAttribute(TraceAttributes.STRATEGY, strategy.name())
                .setAttribute(TraceAttributes.ORDER_ID, order.getOrderId())
                .setAttribute(TraceAttributes.SIDE, order.getSide().name())
                .startSpan();
        context.forward(record.withValue(order).withHeaders(TraceHeaders.with(record.headers(), span)));
        span.end();
        if (processing == Processing.IDEMPOTENT) {
            sentSinceCheck.merge(ticker, 1, Integer::sum);
        }
        if (again) {
            metrics.orderSentAgain();
        }
    }
}
