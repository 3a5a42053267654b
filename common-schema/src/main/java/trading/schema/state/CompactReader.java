package trading.schema.state;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link CompactWriter} wrote, in the same order; a truncated or corrupt value is an {@link IllegalStateException}. */
public final class CompactReader {

    private final byte[] bytes;
    private int position;

    public CompactReader(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.position = offset;
    }

    public int readByte() {
        if (position >= bytes.length) {
            throw new IllegalStateException("state value ends early, at byte " + position);
        }
        return bytes[position++] & 0xFF;
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public long readLong() {
        long zigzag = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            zigzag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (zigzag >>> 1) ^ -(zigzag & 1);
            }
        }
        throw new IllegalStateException("malformed variable-length integer before byte " + position);
    }

    public int readInt() {
        return Math.toIntExact(readLong());
    }

    public String readString() {
        int length = readInt() - 1;
        if (length < 0) {
            return null;
        }
        check(length);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    public BigDecimal readDecimal() {
        int kind = readByte();
        switch (kind) {
            case CompactWriter.NULL_DECIMAL:
                return null;
            case CompactWriter.LONG_DECIMAL: {
                int scale = readInt();
                return BigDecimal.valueOf(readLong(), scale);
            }
            case CompactWriter.BIG_DECIMAL: {
                int scale = readInt();
                int length = readInt();
                check(length);
                BigInteger unscaled = new BigInteger(Arrays.copyOfRange(bytes, position, position + length));
                position += length;
                return new BigDecimal(unscaled, scale);
            }
            default:
                throw new IllegalStateException("unknown decimal kind " + kind + " at byte " + (position - 1));
        }
    }

    /** What {@link CompactWriter#writeDecimals} wrote. */
    public BigDecimal[] readDecimals() {
        int size = readInt();
        if (size < 0 || size > bytes.length) {
            throw new IllegalStateException("a list of " + size + " decimals cannot fit, at byte " + position);
        }
        int kind = readByte();
        BigDecimal[] values = new BigDecimal[size];
        if (kind == CompactWriter.LONG_DECIMAL) {
            int scale = readInt();
            long previous = 0;
            for (int i = 0; i < size; i++) {
                previous += readLong();
                values[i] = BigDecimal.valueOf(previous, scale);
            }
        } else if (kind == CompactWriter.LONG_DECIMAL + CompactWriter.BIG_DECIMAL) {
            for (int i = 0; i < size; i++) {
                values[i] = readDecimal();
            }
        } else {
            throw new IllegalStateException("unknown decimal list kind " + kind + " at byte " + (position - 1));
        }
        return values;
    }

    /** The constant {@link CompactWriter#writeEnum} wrote, or null. */
    public <E extends Enum<E>> E readEnum(E[] values) {
        int code = readByte();
        if (code == 0) {
            return null;
        }
        if (code > values.length) {
            throw new IllegalStateException("unknown constant " + (code - 1) + " at byte " + (position - 1));
        }
        return values[code - 1];
    }

    private void check(int length) {
        if (length < 0 || position + length > bytes.length) {
            throw new IllegalStateException("state value ends early: " + length + " bytes wanted at byte " + position);
        }
    }
}
