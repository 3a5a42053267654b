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
import trading.strategy.RecentSignals;
import trading.strategy.StrategyDefinition;
import trading.strategy.Tick;
import trading.strategy.TickerState;

import java.time.Clock;
import java.time.Instant;

/**
 * Applies each price to its ticker's state and forwards the order a signal asks for.
 *
 * <p>An order continues its price's trace: its span is a child of the context in the price's
 * headers, and the order's headers carry the order's span. Prices that fire nothing start no span
 * and read no header, so tracing costs nothing per price, only per order.
 */
final class StrategyProcessor<I> implements Processor<String, Price, String, Order> {

    private final StrategyDefinition<I> strategy;
    private final Clock clock;
    private final StrategyMetrics metrics;
    private final Tracer tracer;
    private KeyValueStore<String, TickerState<I>> states;
    private KeyValueStore<String, RecentSignals> signals;
    private ProcessorContext<String, Order> context;

    StrategyProcessor(StrategyDefinition<I> strategy, Clock clock, StrategyMetrics metrics, Tracer tracer) {
        this.strategy = strategy;
        this.clock = clock;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    @Override
    public void init(ProcessorContext<String, Order> context) {
        this.context = context;
        this.states = context.getStateStore(StrategyTopology.STATE_STORE);
        this.signals = context.getStateStore(StrategyTopology.SIGNALS_STORE);
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
        TickerState.Step<I> step = state.apply(strategy.rule(), tick);
        states.put(ticker, step.state());
        if (step.state().skipped() > state.skipped()) {
            metrics.skipped();
            return;
        }
        metrics.applied();
        if (step.signal() != null) {
            // only a price that fires a signal reads the clock or touches the signal history
            Instant now = Instant.now(clock);
            Order order = Orders.of(strategy.name(), ticker, step.signal(), strategy.quantity(),
                    price.getPublishTime(), now);
            Span span = tracer.spanBuilder("decide " + strategy.name())
                    .setParent(TraceHeaders.extract(record.headers()))
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute(TraceAttributes.TICKER, ticker)
                    .setAttribute(TraceAttributes.STRATEGY, strategy.name())
                    .setAttribute(TraceAttributes.ORDER_ID, order.getOrderId())
                    .setAttribute(TraceAttributes.SIDE, order.getSide().name())
                    .startSpan();
            context.forward(record.withValue(order).withHeaders(TraceHeaders.with(record.headers(), span)));
            span.end();
            RecentSignals history = signals.get(ticker);
            signals.put(ticker, (history == null ? RecentSignals.none() : history).with(step.signal()));
            metrics.orderSent(price.getPublishTime(), now);
        }
    }
}
