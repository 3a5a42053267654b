package trading.execution.streams;

import trading.execution.OrderRecord;
import trading.schema.Decimals;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;
import trading.schema.Side;

import java.math.BigDecimal;
import java.time.Instant;

/** An {@link ExecutionReport} for {@code executions} from what the store holds of an order. */
final class Reports {

    private Reports() {
    }

    static ExecutionReport of(OrderRecord order, long nowMicros) {
        return ExecutionReport.newBuilder()
                .setOrderId(nullToEmpty(order.orderId()))
                .setStrategy(nullToEmpty(order.strategy()))
                .setTicker(nullToEmpty(order.ticker()))
                .setSide("SELL".equals(order.side()) ? Side.SELL : Side.BUY)
                .setStatus(ExecutionStatus.valueOf(order.status().name()))
                .setQuantity(wire(order.quantity()))
                .setFilledQuantity(wire(order.filledQuantity()))
                .setFillPrice(order.fillPrice() == null ? null : Decimals.roundToWire(order.fillPrice()))
                .setReferencePrice(wire(order.referencePrice()))
                .setPriceSequence(order.priceSequence())
                .setReason(order.reason())
                .setBroker(order.broker())
                .setBrokerOrderId(order.brokerOrderId())
                .setBrokerExecId(order.brokerExecId())
                .setPricePublishTime(instant(order.pricePublishTimeMicros()))
                .setDecisionTime(instant(order.decisionTimeMicros()))
                .setReportTime(instant(nowMicros))
                .build();
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    private static BigDecimal wire(BigDecimal amount) {
        return Decimals.toWire(amount == null ? BigDecimal.ZERO : amount);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
