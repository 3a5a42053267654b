package trading.execution.streams;

import org.apache.kafka.common.serialization.Serde;
import trading.execution.Mark;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.OrderTimeline;
import trading.execution.PositionBook;
import trading.schema.kafka.JsonSerde;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactSerde;
import trading.schema.state.CompactWriter;

import java.math.BigDecimal;

/**
 * order-execution's store values in the compact binary form, each read on every order
 * or broker event. Values written as JSON by earlier releases are still read.
 */
final class StateCodecs {

    private static final OrderStatus[] STATUSES = OrderStatus.values();

    private StateCodecs() {
    }

    /**
     * Format 2 adds the order's {@link OrderTimeline} (step times and traceparent) after the
     * fields of format 1; an order of format 1 reads with {@link OrderTimeline#NONE}.
     */
    static Serde<OrderRecord> orders() {
        JsonSerde<OrderRecord> json = JsonSerde.of(OrderRecord.class);
        return CompactSerde.of(new CompactSerde.Codec<>() {
            @Override
            public int format() {
                return 2;
            }

            @Override
            public int expectedSize() {
                return 320;
            }

            @Override
            public void write(OrderRecord o, CompactWriter out) {
                OrderTimeline t = o.timeline();
                out.writeString(o.orderId()).writeString(o.strategy()).writeString(o.ticker()).writeString(o.side())
                        .writeDecimal(o.quantity()).writeDecimal(o.referencePrice()).writeString(o.priceSource())
                        .writeLong(o.priceSequence()).writeEnum(o.status()).writeDecimal(o.filledQuantity())
                        .writeDecimal(o.fillPrice()).writeString(o.broker()).writeString(o.brokerOrderId())
                        .writeString(o.brokerExecId()).writeString(o.reason()).writeLong(o.decisionTimeMicros())
                        .writeLong(o.pricePublishTimeMicros()).writeLong(o.updatedTimeMicros())
                        .writeLong(t.receivedMicros()).writeLong(t.riskCheckedMicros()).writeLong(t.sentMicros())
                        .writeLong(t.acknowledgedMicros()).writeLong(t.completedMicros()).writeString(t.traceparent());
            }

            @Override
            public OrderRecord read(int format, CompactReader in) {
                String orderId = in.readString();
                String strategy = in.readString();
                String ticker = in.readString();
                String side = in.readString();
                BigDecimal quantity = in.readDecimal();
                BigDecimal referencePrice = in.readDecimal();
                String priceSource = in.readString();
                long priceSequence = in.readLong();
                OrderStatus status = in.readEnum(STATUSES);
                BigDecimal filled = in.readDecimal();
                BigDecimal fillPrice = in.readDecimal();
                String broker = in.readString();
                String brokerOrderId = in.readString();
                String brokerExecId = in.readString();
                String reason = in.readString();
                long decided = in.readLong();
                long published = in.readLong();
                long updated = in.readLong();
                OrderTimeline timeline = format < 2 ? OrderTimeline.NONE : new OrderTimeline(in.readLong(),
                        in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readString());
                return new OrderRecord(orderId, strategy, ticker, side, quantity, referencePrice, priceSource,
                        priceSequence, status, filled, fillPrice, broker, brokerOrderId, brokerExecId, reason, decided,
                        published, updated, timeline);
            }
        }, bytes -> json.deserializer().deserialize(null, bytes));
    }

    static Serde<PositionBook> positions() {
        JsonSerde<PositionBook> json = JsonSerde.of(PositionBook.class);
        return CompactSerde.of(CompactSerde.Codec.of(1, 128,
                (b, out) -> out.writeString(b.strategy()).writeString(b.ticker()).writeDecimal(b.quantity())
                        .writeDecimal(b.averagePrice()).writeDecimal(b.realizedPnl()).writeDecimal(b.lastFillPrice())
                        .writeDecimal(b.pendingBuy()).writeDecimal(b.pendingSell()),
                in -> new PositionBook(in.readString(), in.readString(), in.readDecimal(), in.readDecimal(),
                        in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal())),
                bytes -> json.deserializer().deserialize(null, bytes));
    }

    static Serde<Mark> marks() {
        JsonSerde<Mark> json = JsonSerde.of(Mark.class);
        return CompactSerde.of(CompactSerde.Codec.of(1, 24,
                (mark, out) -> out.writeDecimal(mark.price()).writeLong(mark.decisionTimeMicros()),
                in -> new Mark(in.readDecimal(), in.readLong())),
                bytes -> json.deserializer().deserialize(null, bytes));
    }
}
