package trading.execution.streams;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.OrderTimeline;
import trading.schema.state.CompactWriter;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StateCodecsTest {

    private final Serde<OrderRecord> orders = StateCodecs.orders();

    private static OrderRecord order(OrderTimeline timeline) {
        return new OrderRecord("o-1", "abc", "AAPL", "BUY", new BigDecimal("100"), new BigDecimal("10.5"), "sim:42", 7,
                OrderStatus.FILLED, new BigDecimal("100"), new BigDecimal("10.5"), "fix", "X1", "X1-1", null,
                1_000_000L, 999_000L, 1_200_000L, timeline);
    }

    @Test
    void anOrderWithItsTimelineReadsBackWhole() {
        OrderRecord order = order(new OrderTimeline(1_010_000L, 1_011_000L, 1_020_000L, 1_030_000L, 1_100_000L,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertEquals(order, orders.deserializer().deserialize(null, orders.serializer().serialize(null, order)));
    }

    @Test
    void anOrderStoredByTheReleaseBeforeTimelines_format1_readsWithNone() {
        OrderRecord order = order(OrderTimeline.NONE);
        // format 1, as that release wrote it: the same fields, no timeline after them
        CompactWriter out = new CompactWriter(256).writeByte(1);
        out.writeString(order.orderId()).writeString(order.strategy()).writeString(order.ticker()).writeString(order.side())
                .writeDecimal(order.quantity()).writeDecimal(order.referencePrice()).writeString(order.priceSource())
                .writeLong(order.priceSequence()).writeEnum(order.status()).writeDecimal(order.filledQuantity())
                .writeDecimal(order.fillPrice()).writeString(order.broker()).writeString(order.brokerOrderId())
                .writeString(order.brokerExecId()).writeString(order.reason()).writeLong(order.decisionTimeMicros())
                .writeLong(order.pricePublishTimeMicros()).writeLong(order.updatedTimeMicros());
        assertEquals(order, orders.deserializer().deserialize(null, out.toByteArray()));
    }
}
