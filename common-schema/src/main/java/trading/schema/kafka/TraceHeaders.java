package trading.schema.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers: how one
 * trace follows a price into its order and the order's execution reports across services.
 *
 * <p>Kafka Streams copies an input record's headers to what it forwards, so a processor that
 * starts a span must {@link #with replace} them, or its output would claim the caller's span as
 * parent.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) ->
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));

    private TraceHeaders() {
    }

    /** The context a record's headers carry, or the root context when they carry none. */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, GETTER);
    }

    /** Writes {@code context}'s span into {@code headers} (a mutable set). */
    public static Headers inject(Context context, Headers headers) {
        W3C.inject(context, headers, SETTER);
        return headers;
    }

    /** A copy of {@code headers} in which {@code span} replaces any trace context they carried. */
    public static Headers with(Headers headers, Span span) {
        RecordHeaders copy = new RecordHeaders();
        if (headers != null) {
            for (Header header : headers) {
                if (!TRACEPARENT.equals(header.key()) && !TRACESTATE.equals(header.key())) {
                    copy.add(header);
                }
            }
        }
        return inject(Context.root().with(span), copy);
    }

    /** The {@code traceparent} value of {@code span}, for a store or a FIX tag; null when it has no valid context. */
    public static String traceparent(SpanContext span) {
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + '-' + span.getSpanId() + '-' + span.getTraceFlags().asHex();
    }

    /** The context a {@code traceparent} value names, or the root context when it is null or malformed. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        return extract(headers);
    }

    /** The trace id in a {@code traceparent} value, or null when it is null or malformed. */
    public static String traceIdOf(String traceparent) {
        SpanContext span = Span.fromContext(fromTraceparent(traceparent)).getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }

    /** The trace id a record's headers carry, or null. */
    public static String traceId(Headers headers) {
        SpanContext span = Span.fromContext(extract(headers)).getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }
}
