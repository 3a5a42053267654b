package trading.execution.streams;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.PositionBook;
import trading.schema.BrokerEvent;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;

/**
 * What the FIX gateway reports ({@code broker.events}) applied to the order and the books, in the
 * task that holds both (the events are keyed by ticker like the orders).
 *
 * <p>Every event may arrive more than once: the gateway re-publishes after a restart, the exchange
 * resends after a reconnect, a status answer repeats a fill. So a fill is applied by difference of
 * the cumulative quantity, and an event that changes nothing publishes nothing.
 */
final class BrokerEventProcessor implements Processor<String, BrokerEvent, String, ExecutionOutput> {

    private static final Logger LOG = Logger.getLogger(BrokerEventProcessor.class);

    private final Clock clock;
    private final Tracer tracer;
    private ProcessorContext<String, ExecutionOutput> context;
    private OrderLedger orders;
    private KeyValueStore<String, PositionBook> positions;

    BrokerEventProcessor(Clock clock, Tracer tracer) {
        this.clock = clock;
        this.tracer = tracer;
    }

    @Override
    public void init(ProcessorContext<String, ExecutionOutput> context) {
        this.context = context;
        this.orders = new OrderLedger(context);
        this.positions = context.getStateStore(ExecutionTopology.POSITIONS_STORE);
    }

    @Override
    public void process(Record<String, BrokerEvent> record) {
        BrokerEvent event = record.value();
        OrderRecord order = orders.get(event.getOrderId());
        if (order == null) {
            LOG.warnf("broker event %s for order %s, which order-execution never sent: ignored", event.getType(),
                    event.getOrderId());
            return;
        }
        long now = Clocks.micros(clock);
        // a step is timed when the gateway saw it (its event time), not when this task applied it
        long at = event.getEventTime() == null ? now : Clocks.micros(event.getEventTime());
        OrderRecord next = switch (event.getType()) {
            case SENT -> order.status() == OrderStatus.NEW ? order.sent(at) : order;
            case ACCEPTED -> order.brokerOrderId() == null ? order.acknowledged(event.getBrokerOrderId(), at) : order;
            case FILL -> fill(order, event, at);
            case REJECTED -> order.isDone() ? order : rejected(order, event, at);
        };
        if (next == order) {
            return;
        }
        orders.put(order, next);
        if (next.status() != order.status() || next.filledQuantity().compareTo(order.filledQuantity()) != 0) {
            // the report joins the order's trace, whatever the gateway's record carried
            Span span = tracer.spanBuilder("broker " + event.getType().name().toLowerCase(java.util.Locale.ROOT))
                    .setParent(TraceHeaders.fromTraceparent(order.timeline().traceparent()))
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(TraceAttributes.ORDER_ID, next.orderId())
                    .setAttribute(TraceAttributes.CL_ORD_ID, next.orderId())
                    .setAttribute(TraceAttributes.TICKER, next.ticker())
                    .setAttribute(TraceAttributes.STRATEGY, next.strategy())
                    .setAttribute(TraceAttributes.STATUS, next.status().name())
                    .startSpan();
            context.forward(record.withKey(next.orderId()).withValue(ExecutionOutput.report(Reports.of(next, now)))
                    .withHeaders(TraceHeaders.with(record.headers(), span)));
            span.end();
        }
    }

    private OrderRecord fill(OrderRecord order, BrokerEvent event, long now) {
        BigDecimal cumulative = event.getCumulativeQuantity();
        if (cumulative.compareTo(order.quantity()) > 0) {
            // an overfill the books must not take on: the position would exceed what was decided and
            // what the risk checks allowed. The order is held at its quantity; the log says what came.
            LOG.errorf("broker reports %s filled of order %s for %s: only the order's quantity is booked",
                    cumulative.toPlainString(), order.orderId(), order.quantity().toPlainString());
            cumulative = order.quantity();
        }
        BigDecimal delta = cumulative.subtract(order.filledQuantity());
        if (order.status() == OrderStatus.REJECTED || delta.signum() <= 0 || event.getAveragePrice() == null) {
            return order;
        }
        // what this step added, at the price that makes the broker's average come out
        BigDecimal before = order.fillPrice() == null ? BigDecimal.ZERO : order.fillPrice().multiply(order.filledQuantity());
        BigDecimal price = event.getAveragePrice().multiply(cumulative).subtract(before).divide(delta, MathContext.DECIMAL128);
        OrderRecord filled = order.filled(delta, price, brokerOrderId(order, event), event.getBrokerExecId(), now);
        if (order.status() == OrderStatus.NEW) {
            LOG.debugf("fill for %s before its SENT event", order.orderId());
        }
        PositionBook book = book(order);
        positions.put(PositionBook.key(order.strategy(), order.ticker()),
                book.fill(order.buy(), delta, price).done(order.buy(), delta));
        return filled;
    }

    private OrderRecord rejected(OrderRecord order, BrokerEvent event, long now) {
        positions.put(PositionBook.key(order.strategy(), order.ticker()), book(order).done(order.buy(), order.working()));
        String reason = "broker rejected: " + (event.getReason() == null ? "no reason given" : event.getReason());
        return order.acknowledged(brokerOrderId(order, event), now).rejected(reason, now);
    }

    private PositionBook book(OrderRecord order) {
        PositionBook book = positions.get(PositionBook.key(order.strategy(), order.ticker()));
        return book != null ? book : PositionBook.empty(order.strategy(), order.ticker());
    }

    private static String brokerOrderId(OrderRecord order, BrokerEvent event) {
        return order.brokerOrderId() != null ? order.brokerOrderId() : event.getBrokerOrderId();
    }
}
