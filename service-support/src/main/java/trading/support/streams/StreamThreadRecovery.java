package trading.support.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * What a Kafka Streams service does when one of its stream threads fails: a new thread takes its
 * place. Kafka Streams' default is to shut the whole client down, and the service then stays up,
 * answering HTTP, but never processes another record. A broker fault can fail a thread this way:
 * with two of three nodes down, a transaction's commit has ended in
 * {@code InvalidTxnStateException}. Under exactly-once, a new thread is safe. The failed thread's
 * transaction never commits (its records are aborted, read_committed readers never see them), and
 * the new thread resumes from the last committed offsets and state.
 *
 * <p>A thread that keeps failing is not a fault that passes: after {@value #MAX_REPLACEMENTS}
 * replacements within {@link #WINDOW} the client shuts down. Its health then goes down, so that
 * the instance is restarted and a person looks. Quarkus sets this bean on the {@code KafkaStreams}
 * it builds. The meter {@code streams_threads_replaced_total} counts the replacements.
 */
@ApplicationScoped
public class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 10;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(StreamThreadRecovery.class);

    private final Counter replaced;
    private final LongSupplier nanoClock;
    private final Deque<Long> recent = new ArrayDeque<>();

    @Inject
    public StreamThreadRecovery(MeterRegistry meters) {
        this(meters, System::nanoTime);
    }

    StreamThreadRecovery(MeterRegistry meters, LongSupplier nanoClock) {
        this.replaced = Counter.builder("streams.threads.replaced")
                .description("stream threads that failed and were replaced by a new one").register(meters);
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = nanoClock.getAsLong();
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW.toNanos()) {
            recent.removeFirst();
        }
        if (recent.size() >= MAX_REPLACEMENTS) {
            LOG.errorf(exception, "a stream thread failed for the %d. time within %d minutes: shutting Kafka Streams down"
                    + " (the health check goes down, so the instance is restarted)", recent.size() + 1, WINDOW.toMinutes());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        replaced.increment();
        LOG.warnf(exception, "a stream thread failed (%s); a new thread takes its place and resumes from the last commit",
                rootCause(exception));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static String rootCause(Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
