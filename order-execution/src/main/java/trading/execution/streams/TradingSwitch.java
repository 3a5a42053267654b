package trading.execution.streams;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import trading.schema.Topics;
import trading.schema.TradingControl;

import java.util.Arrays;

/**
 * The kill switch as the processor sees it: the latest {@link TradingControl} on
 * {@code trading.control}, held in a global store so that every instance and every task reads the
 * same switch. The store keeps the record's bytes; a record that cannot be read counts as halted,
 * because a kill switch that fails must fail closed.
 */
final class TradingSwitch {

    /** The one key of {@code trading.control}. */
    static final String KEY = "trading";

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final Deserializer<TradingControl> deserializer;
    private byte[] lastBytes;
    private TradingControl last;

    TradingSwitch(ReadOnlyKeyValueStore<String, byte[]> store, Deserializer<TradingControl> deserializer) {
        this.store = store;
        this.deserializer = deserializer;
    }

    /** Why new orders may not leave now, or null when trading is on. */
    String haltReason() {
        byte[] bytes = store.get(KEY);
        if (bytes == null) {
            return null;
        }
        if (!Arrays.equals(bytes, lastBytes)) {
            try {
                last = deserializer.deserialize(Topics.TRADING_CONTROL, bytes);
                lastBytes = bytes;
            } catch (RuntimeException e) {
                return "trading halted: the kill switch record cannot be read (" + e.getMessage() + ")";
            }
        }
        if (last == null || !last.getHalted()) {
            return null;
        }
        return "trading halted" + (last.getReason() == null || last.getReason().isBlank() ? "" : ": " + last.getReason());
    }
}
