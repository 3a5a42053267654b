package trading.support.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;
import trading.schema.kafka.DependencyUnavailable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
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
 *
 * <p>A thread stopped by a dependency that did not answer is another matter: see
 * {@link #waitFor(DependencyUnavailable)}.
 */
@ApplicationScoped
public class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 10;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(StreamThreadRecovery.class);

    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final Counter replaced;
    private final Counter waited;
    private final LongSupplier nanoClock;
    private final Consumer<Duration> pause;
    private final Deque<Long> recent = new ArrayDeque<>();
    private Duration nextWait = FIRST_WAIT;
    private long lastWaitEnded = Long.MIN_VALUE / 2;

    @Inject
    public StreamThreadRecovery(MeterRegistry meters) {
        this(meters, System::nanoTime, StreamThreadRecovery::sleep);
    }

    StreamThreadRecovery(MeterRegistry meters, LongSupplier nanoClock, Consumer<Duration> pause) {
        this.replaced = Counter.builder("streams.threads.replaced")
                .description("stream threads that failed and were replaced by a new one").register(meters);
        this.waited = Counter.builder("streams.dependency.waits")
                .description("stream threads stopped because a dependency (the registry) did not answer, then replaced").register(meters);
        this.nanoClock = nanoClock;
        this.pause = pause;
    }

    /** The failed thread waits before its replacement starts: the other threads go on meanwhile. */
    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        var unavailable = DependencyUnavailable.in(exception);
        if (unavailable.isPresent()) {
            return waitFor(unavailable.get());
        }
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

    /**
     * A record met a dependency that did not answer (the registry): nothing is wrong with the thread
     * or the record. The thread's transaction is aborted, so the record is read again by the new
     * thread after a pause that doubles while the dependency stays away (up to
     * {@link #LONGEST_WAIT}). Such waits do not count towards shutting the client down: an outage
     * of any length is waited out, and readiness says why meanwhile.
     */
    private StreamThreadExceptionResponse waitFor(DependencyUnavailable unavailable) {
        long now = nanoClock.getAsLong();
        if (now - lastWaitEnded > LONGEST_WAIT.toNanos() * 2) {
            nextWait = FIRST_WAIT;
        }
        Duration wait = nextWait;
        nextWait = nextWait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : nextWait.multipliedBy(2);
        waited.increment();
        LOG.warnf("%s; the record is read again by a new stream thread in %d s", unavailable.getMessage(), wait.toSeconds());
        pause.accept(wait);
        lastWaitEnded = nanoClock.getAsLong();
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
