package trading.execution.streams;

import org.apache.kafka.common.serialization.Serde;
import trading.execution.Mark;
import trading.execution.OrderRecord;
import trading.execution.OrderStatus;
import trading.execution.PositionBook;
import trading.schema.kafka.JsonSerde;
import trading.schema.state.CompactSerde;

/**
 * order-execution's store values in the compact binary form (format 1), each read on every order
 * or broker event. Values written as JSON by earlier releases are still read.
 */
final class StateCodecs {

    private static final OrderStatus[] STATUSES = OrderStatus.values();

    private StateCodecs() {
    }

    static Serde<OrderRecord> orders() {
        JsonSerde<OrderRecord> json = JsonSerde.of(OrderRecord.class);
        return CompactSerde.of(CompactSerde.Codec.of(1, 256,
                (o, out) -> out.writeString(o.orderId()).writeString(o.strategy()).writeString(o.ticker()).writeString(o.side())
                        .writeDecimal(o.quantity()).writeDecimal(o.referencePrice()).writeString(o.priceSource())
                        .writeLong(o.priceSequence()).writeEnum(o.status()).writeDecimal(o.filledQuantity())
                        .writeDecimal(o.fillPrice()).writeString(o.broker()).writeString(o.brokerOrderId())
                        .writeString(o.brokerExecId()).writeString(o.reason()).writeLong(o.decisionTimeMicros())
                        .writeLong(o.pricePublishTimeMicros()).writeLong(o.updatedTimeMicros()),
                in -> new OrderRecord(in.readString(), in.readString(), in.readString(), in.readString(),
                        in.readDecimal(), in.readDecimal(), in.readString(), in.readLong(), in.readEnum(STATUSES),
                        in.readDecimal(), in.readDecimal(), in.readString(), in.readString(), in.readString(),
                        in.readString(), in.readLong(), in.readLong(), in.readLong())),
                bytes -> json.deserializer().deserialize(null, bytes));
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
