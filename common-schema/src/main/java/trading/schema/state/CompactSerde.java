package trading.schema.state;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A state-store value as one format byte then its fields in the compact binary form. Stores and
 * their changelogs outlive a release, so every format a release wrote stays readable: the
 * {@link Codec} is told which format it reads, and values written by releases that kept JSON
 * (they begin with {@code '{'}) are handed to {@code legacy}.
 */
public final class CompactSerde<T> implements Serde<T> {

    /** How one type is written and read. */
    public interface Codec<T> {
        /** The format byte written now (1 to 122: a JSON value begins with 123, {@code '{'}). */
        int format();

        /** Rough size of a value, to size the buffer once. */
        int expectedSize();

        void write(T value, CompactWriter out);

        /** Reads a value of {@code format}: the current one or any earlier. */
        T read(int format, CompactReader in);

        /** A codec that has only ever written {@code format}, so reads only that one. */
        static <T> Codec<T> of(int format, int expectedSize, BiConsumer<T, CompactWriter> write,
                               Function<CompactReader, T> read) {
            return new Codec<>() {
                @Override
                public int format() {
                    return format;
                }

                @Override
                public int expectedSize() {
                    return expectedSize;
                }

                @Override
                public void write(T value, CompactWriter out) {
                    write.accept(value, out);
                }

                @Override
                public T read(int readFormat, CompactReader in) {
                    return read.apply(in);
                }
            };
        }
    }

    private static final int JSON_OBJECT = '{';

    private final Codec<T> codec;
    private final Function<byte[], T> legacy;

    private CompactSerde(Codec<T> codec, Function<byte[], T> legacy) {
        if (codec.format() < 1 || codec.format() >= JSON_OBJECT) {
            throw new IllegalArgumentException("format byte must be 1 to 122, was " + codec.format());
        }
        this.codec = codec;
        this.legacy = legacy;
    }

    /** @param legacy reads a value the JSON encoding of an earlier release wrote */
    public static <T> CompactSerde<T> of(Codec<T> codec, Function<byte[], T> legacy) {
        return new CompactSerde<>(codec, legacy);
    }

    public byte[] encode(T value) {
        if (value == null) {
            return null;
        }
        CompactWriter out = new CompactWriter(codec.expectedSize());
        out.writeByte(codec.format());
        codec.write(value, out);
        return out.toByteArray();
    }

    public T decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 0) {
            throw new SerializationException("empty state value");
        }
        int format = bytes[0] & 0xFF;
        if (format == JSON_OBJECT) {
            return legacy.apply(bytes);
        }
        if (format > codec.format()) {
            throw new SerializationException("state value in format " + format + ", newer than this release reads ("
                    + codec.format() + ")");
        }
        try {
            return codec.read(format, new CompactReader(bytes, 1));
        } catch (RuntimeException e) {
            throw new SerializationException("cannot read a state value of format " + format + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> decode(bytes);
    }
}
