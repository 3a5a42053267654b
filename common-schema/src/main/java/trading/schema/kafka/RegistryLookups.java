package trading.schema.kafka;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The registry's serdes, made to tell an absent registry from bad data.
 *
 * <p>A schema id, once resolved, never changes, so a record whose id has been decoded before is
 * decoded at once (the serde's own cache holds it for good; see {@link RegistrySerdes}) and the
 * registry's health does not matter to it. Only a lookup that may reach the registry (a new id, a
 * first write to a topic) runs here with a time limit, because the registry's HTTP client has none:
 * against a paused registry it waits for ever. A lookup that is refused, reset, times out or gets a
 * 5xx throws {@link DependencyUnavailable}; one the registry answers with a 4xx (an id it does not
 * know) throws as before, which is bad data.
 *
 * <p>{@link #problem()} is what the last lookup met, for readiness: set when one fails, cleared
 * when one is answered, even after its caller stopped waiting. While it is set, each call of
 * {@link #problem()} asks the failed question again in the background (one at a time, at most once
 * a second), so readiness comes back with the registry even when no record needs it any more: a
 * stream thread that gave up on a lookup may have lost its task to another instance meanwhile.
 */
public final class RegistryLookups {

    /** Under Kafka Streams' transaction timeout (10 s): a stream thread waits at most this long. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    static final String REGISTRY = "schema registry";

    private static final Logger LOG = Logger.getLogger(RegistryLookups.class);
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "registry-lookup");
        thread.setDaemon(true);
        return thread;
    });
    private static final AtomicReference<Problem> PROBLEM = new AtomicReference<>();
    private static final Map<String, CompletableFuture<?>> IN_FLIGHT = new ConcurrentHashMap<>();
    private static final AtomicReference<Question> LAST_FAILED = new AtomicReference<>();
    static final Duration ASK_AGAIN_EVERY = Duration.ofSeconds(1);
    private static volatile long lastAskedAgainNanos = System.nanoTime() - ASK_AGAIN_EVERY.toNanos();

    /**
     * A lookup that failed, kept (never cleared, so a problem always has a question to ask) to be
     * asked again: it only reads the registry and its caches, or registers a schema, as it would anyway.
     */
    private record Question(String what, Supplier<?> lookup) {
    }

    /** The registry did not answer {@code what} since {@code since}. */
    public record Problem(String what, Instant since) {
    }

    private RegistryLookups() {
    }

    /** What the last registry lookup met when it failed, or empty when it succeeded. */
    public static Optional<Problem> problem() {
        Problem problem = PROBLEM.get();
        if (problem != null) {
            askAgain();
        }
        return Optional.ofNullable(problem);
    }

    private static void askAgain() {
        Question question = LAST_FAILED.get();
        long now = System.nanoTime();
        if (question == null || now - lastAskedAgainNanos < ASK_AGAIN_EVERY.toNanos()) {
            return;
        }
        CompletableFuture<?> earlier = IN_FLIGHT.get(question.what());
        if (earlier != null && !earlier.isDone()) {
            return; // still waiting: its answer clears the problem
        }
        lastAskedAgainNanos = now;
        ask(question.what(), question.lookup());
    }

    /** Starts {@code lookup}; whenever it is answered (a result or a 4xx), the registry is there. */
    private static <R> CompletableFuture<R> ask(String what, Supplier<R> lookup) {
        CompletableFuture<R> call = CompletableFuture.supplyAsync(lookup, LOOKUPS);
        IN_FLIGHT.put(what, call);
        call.whenComplete((result, error) -> {
            IN_FLIGHT.remove(what, call);
            if (error == null || !DependencyUnavailable.isUnanswered(error instanceof CompletionException ? error.getCause() : error)) {
                answered();
            }
        });
        return call;
    }

    static <T> Deserializer<T> guarded(Deserializer<T> deserializer) {
        return new GuardedDeserializer<>(deserializer);
    }

    static <T> Serializer<T> guarded(Serializer<T> serializer) {
        return new GuardedSerializer<>(serializer);
    }

    /** Runs {@code lookup} with {@link #LOOKUP_TIMEOUT}; see the class comment for what it throws. */
    static <R> R timed(String what, Supplier<R> lookup) {
        // Against a paused registry a call hangs until it resumes: while an earlier call of the same
        // question still hangs, wait for it rather than leave one more thread hanging per retry.
        CompletableFuture<?> earlier = IN_FLIGHT.get(what);
        if (earlier != null && !earlier.isDone()) {
            try {
                earlier.get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw unavailable(what, "no answer within " + LOOKUP_TIMEOUT.toSeconds() + " s (an earlier call still waits)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(what, "interrupted", e);
            } catch (ExecutionException e) {
                // it failed: this call asks again
            }
        }
        CompletableFuture<R> call = ask(what, lookup);
        try {
            R result = call.get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            answered();
            return result;
        } catch (TimeoutException e) {
            LAST_FAILED.set(new Question(what, lookup));
            throw unavailable(what, "no answer within " + LOOKUP_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (DependencyUnavailable.isUnanswered(cause)) {
                LAST_FAILED.set(new Question(what, lookup));
                throw unavailable(what, rootMessage(cause), cause);
            }
            answered(); // it refused what it was asked (a 4xx): it is there, the record is bad
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    private static void answered() {
        if (PROBLEM.getAndSet(null) != null) {
            LOG.infof("the %s answers again", REGISTRY);
        }
    }

    private static DependencyUnavailable unavailable(String what, String why, Throwable cause) {
        DependencyUnavailable error = new DependencyUnavailable(REGISTRY, what + ": " + why, cause);
        Problem before = PROBLEM.getAndUpdate(p -> p != null ? p : new Problem(error.getMessage(), Instant.now()));
        if (before == null) {
            LOG.warnf("%s; records that need it wait, none is dead-lettered", error.getMessage());
        }
        return error;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Schema ids already resolved: few (one per contract version), so a scan of a small array. */
    private static final class KnownIds {
        private volatile int[] ids = new int[0];

        boolean contains(int id) {
            for (int known : ids) {
                if (known == id) {
                    return true;
                }
            }
            return false;
        }

        synchronized void add(int id) {
            if (!contains(id)) {
                int[] more = Arrays.copyOf(ids, ids.length + 1);
                more[ids.length] = id;
                ids = more;
            }
        }
    }

    private static final int NOT_THE_WIRE_FORMAT = -1;

    /** The schema id of the wire format (magic byte 0, the id in 4 bytes, the Avro binary), or {@link #NOT_THE_WIRE_FORMAT}. */
    static int schemaId(byte[] data) {
        if (data == null || data.length < 5 || data[0] != 0) {
            return NOT_THE_WIRE_FORMAT;
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        return id < 0 ? NOT_THE_WIRE_FORMAT : id;
    }

    private static final class GuardedDeserializer<T> implements Deserializer<T> {
        private final Deserializer<T> delegate;
        private final KnownIds known = new KnownIds();

        GuardedDeserializer(Deserializer<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            int id = schemaId(data);
            if (id == NOT_THE_WIRE_FORMAT || known.contains(id)) {
                return delegate.deserialize(topic, data); // nothing to ask, or the serde says why it cannot read it
            }
            return firstOf(id, topic, () -> delegate.deserialize(topic, data));
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            int id = schemaId(data);
            if (id == NOT_THE_WIRE_FORMAT || known.contains(id)) {
                return delegate.deserialize(topic, headers, data);
            }
            return firstOf(id, topic, () -> delegate.deserialize(topic, headers, data));
        }

        private T firstOf(int id, String topic, Supplier<T> decode) {
            T value = timed("schema " + id + " for " + topic, decode);
            known.add(id);
            return value;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(configs, isKey);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static final class GuardedSerializer<T> implements Serializer<T> {
        private final Serializer<T> delegate;
        private volatile String[] knownTopics = new String[0];

        GuardedSerializer(Serializer<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] serialize(String topic, T data) {
            return isKnown(topic) ? delegate.serialize(topic, data) : firstTo(topic, () -> delegate.serialize(topic, data));
        }

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
            return isKnown(topic) ? delegate.serialize(topic, headers, data)
                    : firstTo(topic, () -> delegate.serialize(topic, headers, data));
        }

        private boolean isKnown(String topic) {
            for (String known : knownTopics) {
                if (known.equals(topic)) {
                    return true;
                }
            }
            return false;
        }

        private byte[] firstTo(String topic, Supplier<byte[]> encode) {
            byte[] bytes = timed("the schema of " + topic, encode);
            synchronized (this) {
                if (topic != null && !isKnown(topic)) {
                    String[] more = Arrays.copyOf(knownTopics, knownTopics.length + 1);
                    more[knownTopics.length] = topic;
                    knownTopics = more;
                }
            }
            return bytes;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(configs, isKey);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
