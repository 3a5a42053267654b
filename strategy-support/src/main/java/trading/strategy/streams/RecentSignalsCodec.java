package trading.strategy.streams;

import org.apache.kafka.common.serialization.Serde;
import trading.schema.kafka.JsonSerde;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactSerde;
import trading.schema.state.CompactWriter;
import trading.strategy.RecentSignals;
import trading.strategy.Signal;
import trading.strategy.SignalEvent;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RecentSignals} in the store, compact (format 1: the signals newest first, each with its
 * indicator values by name). Histories written as JSON by earlier releases are still read.
 */
final class RecentSignalsCodec implements CompactSerde.Codec<RecentSignals> {

    private static final Signal[] SIGNALS = Signal.values();

    static Serde<RecentSignals> serde() {
        JsonSerde<RecentSignals> json = JsonSerde.of(RecentSignals.class);
        return CompactSerde.of(new RecentSignalsCodec(), bytes -> json.deserializer().deserialize(null, bytes));
    }

    @Override
    public int format() {
        return 1;
    }

    @Override
    public int expectedSize() {
        return 128 * RecentSignals.LIMIT;
    }

    @Override
    public void write(RecentSignals value, CompactWriter out) {
        out.writeInt(value.newestFirst().size());
        for (SignalEvent event : value.newestFirst()) {
            out.writeEnum(event.signal()).writeDecimal(event.price()).writeString(event.source())
                    .writeLong(event.sequence()).writeLong(event.eventTimeMillis()).writeString(event.orderId());
            Map<String, BigDecimal> indicators = event.indicators() == null ? Map.of() : event.indicators();
            out.writeInt(indicators.size());
            indicators.forEach((name, number) -> out.writeString(name).writeDecimal(number));
        }
    }

    @Override
    public RecentSignals read(int format, CompactReader in) {
        int count = in.readInt();
        List<SignalEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Signal signal = in.readEnum(SIGNALS);
            BigDecimal price = in.readDecimal();
            String source = in.readString();
            long sequence = in.readLong();
            long eventTime = in.readLong();
            String orderId = in.readString();
            int values = in.readInt();
            Map<String, BigDecimal> indicators = new LinkedHashMap<>();
            for (int v = 0; v < values; v++) {
                indicators.put(in.readString(), in.readDecimal());
            }
            events.add(new SignalEvent(signal, price, source, sequence, eventTime, orderId, indicators));
        }
        return new RecentSignals(List.copyOf(events));
    }
}
