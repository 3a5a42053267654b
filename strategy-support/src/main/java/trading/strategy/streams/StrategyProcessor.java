package trading.strategy.streams;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
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
 * commits offsets): orders are counted per ticker by the {@link CommitRounds round} of the thread's
 * commits they were sent in, and a task with unacknowledged orders begins the next round (at most
 * one a second per thread) with a commit request. Orders of a round go out with the commit that
 * begins the next one, and are known to be acknowledged once the round after that has begun.
 *
 * <p>{@link Processing#TRANSACTIONAL}: Kafka Streams commits on its timer (commit.interval.ms).
 * Asking for a commit when an order is decided, with a timer of a second for the rest, halved
 * abc-slow's transactions, but in the three-node chaos run the instance cut off from every broker
 * then showed no sign of being fenced once healed and applied prices again only 111 s later; until
 * that is understood, the transactional mode keeps its 50 ms timer.
 */
final class StrategyProcessor<I> implements Processor<String, Price, String, Order> {

    private final StrategyDefinition<I> strategy;
    private final Processing processing;
    private final Clock clock;
    private final StrategyMetrics metrics;
    private final Tracer tracer;
    private final CommitRounds commitRounds;
    private KeyValueStore<String, TickerState<I>> states;
    private KeyValueStore<String, RecentSignals> signals;
    private ProcessorContext<String, Order> context;
    // per ticker, the orders sent in round countedRound of the thread's commits and in the round
    // before it: not yet known to be acknowledged
    private Map<String, Integer> sentThisRound = new HashMap<>();
    private Map<String, Integer> sentLastRound = new HashMap<>();
    private long countedRound;

    StrategyProcessor(StrategyDefinition<I> strategy, Processing processing, Clock clock, StrategyMetrics metrics,
                      Tracer tracer, CommitRounds commitRounds) {
        this.strategy = strategy;
        this.processing = processing;
        this.clock = clock;
        this.metrics = metrics;
        this.tracer = tracer;
        this.commitRounds = commitRounds;
    }

    @Override
    public void init(ProcessorContext<String, Order> context) {
        this.context = context;
        this.states = context.getStateStore(StrategyTopology.STATE_STORE);
        this.signals = context.getStateStore(StrategyTopology.SIGNALS_STORE);
    }

    /** Brings the counts to the thread's current round: what is older than the last round is acknowledged. */
    private void countInCurrentRound() {
        long round = commitRounds.current();
        if (round == countedRound) {
            return;
        }
        sentLastRound = round == countedRound + 1 ? sentThisRound : new HashMap<>();
        sentThisRound = new HashMap<>();
        countedRound = round;
    }

    private int unacknowledged(String ticker) {
        countInCurrentRound();
        return sentThisRound.getOrDefault(ticker, 0) + sentLastRound.getOrDefault(ticker, 0);
    }

    /** A task with unacknowledged orders asks for a commit, at most once a second per thread. */
    private void maybeAskForCommit() {
        countInCurrentRound();
        if ((!sentThisRound.isEmpty() || !sentLastRound.isEmpty()) && commitRounds.beginNext(context.currentSystemTimeMs())) {
            context.commit();
        }
    }

    @Override
    public void process(Record<String, Price> record) {
        apply(record);
        if (processing == Processing.IDEMPOTENT) {
            maybeAskForCommit();
        }
    }

    private void apply(Record<String, Price> record) {
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
            countInCurrentRound();
            sentThisRound.merge(ticker, 1, Integer::sum);
        }
        if (again) {
            metrics.orderSentAgain();
        }
    }
}
