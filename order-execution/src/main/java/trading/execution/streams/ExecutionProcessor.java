package trading.execution.streams;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;
import trading.execution.Mark;
import trading.execution.OrderChecks;
import trading.execution.OrderRecord;
import trading.execution.PaperBroker;
import trading.execution.PositionBook;
import trading.execution.RiskGate;
import trading.execution.RiskLimits;
import trading.schema.Order;
import trading.schema.TradingControl;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Clock;

/**
 * An order's way in: once per order id (an id already in the store is a re-delivery and is
 * ignored), validation, the kill switch, the risk limits, then the broker.
 *
 * <p>With the paper broker the whole life (NEW, SENT, FILLED) happens here, inside the Streams
 * transaction. With FIX the order is recorded as NEW and, in the same transaction, put on the
 * gateway's outbox ({@code broker.orders}): the intent is durable before anything leaves, and the
 * gateway only ever sees orders whose intent is committed.
 */
final class ExecutionProcessor implements Processor<String, Order, String, ExecutionOutput> {

    private static final Logger LOG = Logger.getLogger(ExecutionProcessor.class);

    private final String brokerName;
    private final RiskLimits limits;
    private final Clock clock;
    private ProcessorContext<String, ExecutionOutput> context;
    private final java.time.Duration retention;
    private OrderLedger orders;
    private KeyValueStore<String, PositionBook> positions;
    private KeyValueStore<String, Mark> marks;
    private TradingSwitch tradingSwitch;
    private final Deserializer<TradingControl> controlDeserializer;
    private final Tracer tracer;

    ExecutionProcessor(String brokerName, RiskLimits limits, Deserializer<TradingControl> controlDeserializer, Clock clock,
                       java.time.Duration retention, Tracer tracer) {
        this.tracer = tracer;
        this.retention = retention;
        this.controlDeserializer = controlDeserializer;
        this.brokerName = brokerName;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, ExecutionOutput> context) {
        this.context = context;
        this.orders = new OrderLedger(context);
        // completed orders leave the store after the retention: checked every minute, not per order
        context.schedule(java.time.Duration.ofMinutes(1), org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                nowMillis -> orders.expire(nowMillis * 1_000, retention));
        this.positions = context.getStateStore(ExecutionTopology.POSITIONS_STORE);
        this.marks = context.getStateStore(ExecutionTopology.MARKS_STORE);
        this.tradingSwitch = new TradingSwitch(context.getStateStore(ExecutionTopology.CONTROL_STORE), controlDeserializer);
    }

    @Override
    public void process(Record<String, Order> record) {
        Order order = record.value();
        if (order.getOrderId() != null && orders.get(order.getOrderId()) != null) {
            LOG.debugf("order %s already handled, ignoring the re-delivery", order.getOrderId());
            return;
        }
        long now = Clocks.micros(clock);
        // the risk decision continues the strategy's trace; what it emits carries this span
        Span check = tracer.spanBuilder("risk check")
                .setParent(TraceHeaders.extract(record.headers()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(TraceAttributes.ORDER_ID, order.getOrderId())
                .setAttribute(TraceAttributes.STRATEGY, order.getStrategy())
                .setAttribute(TraceAttributes.TICKER, order.getTicker())
                .setAttribute(TraceAttributes.BROKER, brokerName)
                .startSpan();
        try {
            decide(record.withHeaders(TraceHeaders.with(record.headers(), check)), check, now);
        } finally {
            check.end();
        }
    }

    private void decide(Record<String, Order> record, Span check, long receivedMicros) {
        Order order = record.value();
        OrderRecord received = OrderRecord.received(order, brokerName, receivedMicros);
        String problem = OrderChecks.problem(order);
        if (problem == null) {
            mark(order, receivedMicros);
            problem = tradingSwitch.haltReason();
        }
        PositionBook book = problem == null ? book(order.getStrategy(), order.getTicker()) : null;
        if (problem == null) {
            problem = RiskGate.problem(order, book, limits);
        }
        long now = Clocks.micros(clock);
        received = received.riskChecked(now, TraceHeaders.traceparent(check.getSpanContext()));
        if (problem != null) {
            check.setAttribute(TraceAttributes.STATUS, "REJECTED").setAttribute(TraceAttributes.REASON, problem);
            OrderRecord rejected = received.rejected(problem, now);
            if (rejected.orderId() != null && !rejected.orderId().isBlank()) {
                orders.put(null, rejected);
            }
            emit(record, rejected, now);
            return;
        }
        check.setAttribute(TraceAttributes.STATUS, "ACCEPTED");
        book = book.working(received.buy(), received.quantity());
        emit(record, received, now);
        if (PaperBroker.NAME.equals(brokerName)) {
            Span fill = tracer.spanBuilder("paper fill").setParent(Context.root().with(check))
                    .setAttribute(TraceAttributes.ORDER_ID, order.getOrderId()).startSpan();
            Record<String, Order> filledRecord = record.withHeaders(TraceHeaders.with(record.headers(), fill));
            OrderRecord sent = received.sent(now);
            emit(filledRecord, sent, now);
            // the paper broker answers at once: it takes the order under its own id and fills it
            OrderRecord filled = PaperBroker.execute(sent, now);
            filled = filled.withTimeline(filled.timeline().acknowledged(now));
            book = book.fill(filled.buy(), filled.filledQuantity(), filled.fillPrice())
                    .done(filled.buy(), filled.filledQuantity());
            emit(filledRecord, filled, now);
            orders.put(null, filled);
            fill.end();
        } else {
            orders.put(null, received);
            context.forward(record.withKey(order.getTicker()).withValue(ExecutionOutput.toBroker(order)));
        }
        positions.put(PositionBook.key(order.getStrategy(), order.getTicker()), book);
    }

    private PositionBook book(String strategy, String ticker) {
        PositionBook book = positions.get(PositionBook.key(strategy, ticker));
        return book != null ? book : PositionBook.empty(strategy, ticker);
    }

    private void mark(Order order, long nowMicros) {
        Mark current = marks.get(order.getTicker());
        long decided = OrderRecord.received(order, brokerName, nowMicros).decisionTimeMicros();
        if (current == null || decided >= current.decisionTimeMicros()) {
            marks.put(order.getTicker(), new Mark(order.getReferencePrice(), decided));
        }
    }

    private void emit(Record<String, Order> record, OrderRecord state, long nowMicros) {
        String key = state.orderId() == null ? "" : state.orderId();
        context.forward(record.withKey(key).withValue(ExecutionOutput.report(Reports.of(state, nowMicros))));
    }
}
