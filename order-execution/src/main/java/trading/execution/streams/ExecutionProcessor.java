package trading.execution.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;
import trading.execution.OrderChecks;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.PaperBroker;
import trading.execution.PositionBook;
import trading.schema.Decimals;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Order;
import trading.schema.Side;

import java.time.Clock;
import java.time.Instant;

/**
 * Handles each order id once: an id already in the store is a re-delivery (a strategy
 * reprocessed its price) and is ignored.
 */
final class ExecutionProcessor implements Processor<String, Order, String, ExecutionReport> {

    private static final Logger LOG = Logger.getLogger(ExecutionProcessor.class);

    private final PaperBroker broker;
    private final Clock clock;
    private ProcessorContext<String, ExecutionReport> context;
    private KeyValueStore<String, OrderRecord> orders;
    private KeyValueStore<String, PositionBook> positions;

    ExecutionProcessor(PaperBroker broker, Clock clock) {
        this.broker = broker;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, ExecutionReport> context) {
        this.context = context;
        this.orders = context.getStateStore(ExecutionTopology.ORDERS_STORE);
        this.positions = context.getStateStore(ExecutionTopology.POSITIONS_STORE);
    }

    @Override
    public void process(Record<String, Order> record) {
        Order order = record.value();
        if (order.getOrderId() != null && orders.get(order.getOrderId()) != null) {
            LOG.debugf("order %s already handled, ignoring the re-delivery", order.getOrderId());
            return;
        }
        long now = nowMicros();
        OrderRecord received = OrderRecord.received(order, PaperBroker.NAME, now);
        String problem = OrderChecks.problem(order);
        OrderRecord outcome = problem != null ? received.rejected(problem, now) : broker.execute(received, now);
        if (outcome.orderId() != null && !outcome.orderId().isBlank()) {
            orders.put(outcome.orderId(), outcome);
        }
        if (outcome.status() == OrderStatus.FILLED || outcome.status() == OrderStatus.PARTIALLY_FILLED) {
            book(outcome);
        }
        context.forward(record.withKey(outcome.orderId()).withValue(report(order, outcome, now)));
    }

    private void book(OrderRecord filled) {
        String key = PositionBook.key(filled.strategy(), filled.ticker());
        PositionBook book = positions.get(key);
        if (book == null) {
            book = PositionBook.empty(filled.strategy(), filled.ticker());
        }
        positions.put(key, book.fill(Side.BUY.name().equals(filled.side()), filled.filledQuantity(), filled.fillPrice()));
    }

    private static ExecutionReport report(Order order, OrderRecord outcome, long nowMicros) {
        return ExecutionReport.newBuilder()
                .setOrderId(outcome.orderId() == null ? "" : outcome.orderId())
                .setStrategy(nullToEmpty(outcome.strategy()))
                .setTicker(nullToEmpty(outcome.ticker()))
                .setSide(order.getSide() == null ? Side.BUY : order.getSide())
                .setStatus(ExecutionStatus.valueOf(outcome.status().name()))
                .setQuantity(wire(outcome.quantity()))
                .setFilledQuantity(wire(outcome.filledQuantity()))
                .setFillPrice(outcome.fillPrice() == null ? null : Decimals.toWire(outcome.fillPrice()))
                .setReferencePrice(wire(outcome.referencePrice()))
                .setPriceSequence(outcome.priceSequence())
                .setReason(outcome.reason())
                .setBroker(outcome.broker())
                .setBrokerOrderId(outcome.brokerOrderId())
                .setBrokerExecId(outcome.brokerExecId())
                .setPricePublishTime(order.getPricePublishTime() == null ? Instant.EPOCH : order.getPricePublishTime())
                .setDecisionTime(order.getDecisionTime() == null ? Instant.EPOCH : order.getDecisionTime())
                .setReportTime(Instant.ofEpochSecond(nowMicros / 1_000_000, (nowMicros % 1_000_000) * 1_000))
                .build();
    }

    private static java.math.BigDecimal wire(java.math.BigDecimal amount) {
        return Decimals.toWire(amount == null ? java.math.BigDecimal.ZERO : amount);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
