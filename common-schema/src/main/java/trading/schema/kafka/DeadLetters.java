package trading.schema.kafka;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Decoding inside the topology, so that a record that cannot be used goes to a dead-letter topic
 * in the same exactly-once transaction as everything else, instead of killing the stream thread
 * (the default) or being dropped with a log line. A record is dead-lettered only for what is wrong
 * with it: when the registry does not answer ({@link DependencyUnavailable}), the record is not
 * judged at all.
 *
 * <p>The dead letter keeps the original key and bytes; its headers say why: {@link #REASON},
 * {@link #EXCEPTION}, and where it came from: {@link #SOURCE_TOPIC}, {@link #SOURCE_PARTITION},
 * {@link #SOURCE_OFFSET}.
 */
public final class DeadLetters {

    public static final String REASON = "dlq.reason";
    public static final String EXCEPTION = "dlq.exception";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    /** Says what is wrong with a decoded value and its key, or null when it is fine. */
    @FunctionalInterface
    public interface Validator<V> extends BiFunction<String, V, String> {
    }

    private DeadLetters() {
    }

    /**
     * Decodes every record of {@code raw}; what cannot be decoded, or fails {@code validator}, is
     * written to {@code deadLetterTopic} and the rest flows on.
     */
    public static <V> KStream<String, V> decode(KStream<String, byte[]> raw, Deserializer<V> deserializer,
                                                Validator<V> validator, String deadLetterTopic) {
        return decode(raw, deserializer, validator, deadLetterTopic, "decode");
    }

    /** As {@link #decode(KStream, Deserializer, Validator, String)}, naming its processors after {@code name}, for a topology that decodes more than one input. */
    public static <V> KStream<String, V> decode(KStream<String, byte[]> raw, Deserializer<V> deserializer,
                                                Validator<V> validator, String deadLetterTopic, String name) {
        Map<String, KStream<String, Decoded<V>>> branches = raw
                .processValues(() -> new DecodeProcessor<>(deserializer, validator), Named.as(name))
                .split(Named.as(name + "d-"))
                .branch((key, decoded) -> decoded.value() != null, Branched.as("ok"))
                .defaultBranch(Branched.as("bad"));
        branches.get(name + "d-bad")
                .mapValues(Decoded::raw, Named.as(name + "-dead-letter-bytes"))
                .to(deadLetterTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-dead-letters"));
        return branches.get(name + "d-ok").mapValues(Decoded::value, Named.as(name + "d-value"));
    }

    /** Either a value or the raw bytes of a record that is going to the dead-letter topic. */
    record Decoded<V>(V value, byte[] raw) {
    }

    private static final class DecodeProcessor<V> implements FixedKeyProcessor<String, byte[], Decoded<V>> {
        private final Deserializer<V> deserializer;
        private final Validator<V> validator;
        private FixedKeyProcessorContext<String, Decoded<V>> context;

        DecodeProcessor(Deserializer<V> deserializer, Validator<V> validator) {
            this.deserializer = deserializer;
            this.validator = validator;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Decoded<V>> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
            V value;
            try {
                value = record.value() == null ? null : deserializer.deserialize(topic, record.headers(), record.value());
            } catch (DependencyUnavailable e) {
                // not the record's fault: the stream thread stops here, nothing is committed past the
                // record, and it is decoded again once the registry answers (StreamThreadRecovery)
                throw e;
            } catch (RuntimeException e) {
                reject(record, "undecodable: " + messageOf(e), e.getClass().getName());
                return;
            }
            String problem = value == null ? "empty value (tombstone)" : validator.apply(record.key(), value);
            if (problem != null) {
                reject(record, "invalid: " + problem, "");
                return;
            }
            context.forward(record.withValue(new Decoded<>(value, null)));
        }

        private void reject(FixedKeyRecord<String, byte[]> record, String reason, String exception) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            put(headers, REASON, reason);
            put(headers, EXCEPTION, exception);
            context.recordMetadata().ifPresent(meta -> {
                put(headers, SOURCE_TOPIC, meta.topic());
                put(headers, SOURCE_PARTITION, Integer.toString(meta.partition()));
                put(headers, SOURCE_OFFSET, Long.toString(meta.offset()));
            });
            context.forward(record.withValue(new Decoded<V>(null, record.value())).withHeaders(headers));
        }

        private static void put(Headers headers, String key, String value) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }

        private static String messageOf(Throwable e) {
            StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                message.append(" <- ").append(cause.getMessage());
            }
            return message.toString();
        }
    }

    /** A header's text, or null. */
    public static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
