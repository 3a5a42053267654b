package trading.schema.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.clients.producer.ProducerRecord;
import trading.schema.Price;

/** A price as the feed publishes it, keyed by ticker; what {@code ./pipeline bench} publishes too. */
public final class PriceRecords {

    private PriceRecords() {
    }

    /**
     * The record of {@code price}, its headers carrying the span of its publication: the root of
     * the trace of every order it causes. The span ends once the record is built; waiting for the
     * broker's acknowledgement would cost a callback per price.
     *
     * @param timestamp the record's time (null: the producer's clock)
     */
    public static ProducerRecord<String, Price> traced(Tracer tracer, String topic, Long timestamp, Price price) {
        Span span = tracer.spanBuilder("publish price")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(TraceAttributes.TICKER, price.getTicker())
                .setAttribute(TraceAttributes.PRICE_SEQUENCE, price.getSequence())
                .startSpan();
        try {
            return new ProducerRecord<>(topic, null, timestamp, price.getTicker(), price, TraceHeaders.with(null, span));
        } finally {
            span.end();
        }
    }
}
