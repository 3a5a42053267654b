package trading.schema.state;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a state-store value in the compact binary form read by {@link CompactReader}: variable
 * length integers, length-prefixed UTF-8 strings and decimals as (scale, unscaled value). A few
 * hundred bytes per ticker instead of a few kilobytes of JSON, and no reflection per record.
 */
public final class CompactWriter {

    static final int NULL_DECIMAL = 0;
    static final int LONG_DECIMAL = 1;
    static final int BIG_DECIMAL = 2;

    private byte[] buffer;
    private int size;

    public CompactWriter(int expectedSize) {
        buffer = new byte[Math.max(16, expectedSize)];
    }

    public CompactWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public CompactWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    /** A long in 1 to 10 bytes, zig-zag encoded so that small negative values stay small. */
    public CompactWriter writeLong(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        ensure(10);
        while ((zigzag & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        buffer[size++] = (byte) zigzag;
        return this;
    }

    public CompactWriter writeInt(int value) {
        return writeLong(value);
    }

    /** A string or null: its UTF-8 length + 1 (0 for null), then the bytes. */
    public CompactWriter writeString(String value) {
        if (value == null) {
            return writeLong(0);
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeLong(utf8.length + 1L);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
        return this;
    }

    /** A decimal or null, exactly: its scale and unscaled value (a long when it fits, else its bytes). */
    public CompactWriter writeDecimal(BigDecimal value) {
        if (value == null) {
            return writeByte(NULL_DECIMAL);
        }
        BigInteger unscaled = value.unscaledValue();
        if (unscaled.bitLength() < 64) {
            writeByte(LONG_DECIMAL).writeInt(value.scale()).writeLong(unscaled.longValue());
        } else {
            byte[] bytes = unscaled.toByteArray();
            writeByte(BIG_DECIMAL).writeInt(value.scale()).writeInt(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }
        return this;
    }

    /**
     * A list of decimals without nulls, exactly. When they share one scale and fit in a long (a
     * window of prices, all at the wire scale), the scale is written once and each value as its
     * difference from the one before: neighbouring prices differ little, so most take one to
     * three bytes. Otherwise each is written as by {@link #writeDecimal}.
     */
    public CompactWriter writeDecimals(java.util.List<BigDecimal> values) {
        int size = values.size();
        int scale = size == 0 ? 0 : values.get(0).scale();
        boolean shared = true;
        for (int i = 0; i < size && shared; i++) {
            BigDecimal value = values.get(i);
            shared = value.scale() == scale && value.precision() <= 18;
        }
        writeInt(size);
        if (!shared) {
            writeByte(LONG_DECIMAL + BIG_DECIMAL);
            for (BigDecimal value : values) {
                writeDecimal(value);
            }
            return this;
        }
        writeByte(LONG_DECIMAL).writeInt(scale);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            long unscaled = values.get(i).unscaledValue().longValue();
            writeLong(unscaled - previous);
            previous = unscaled;
        }
        return this;
    }

    /** An enum constant or null, as its ordinal + 1. */
    public CompactWriter writeEnum(Enum<?> value) {
        return writeByte(value == null ? 0 : value.ordinal() + 1);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
