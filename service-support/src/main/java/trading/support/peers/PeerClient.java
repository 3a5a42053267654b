package trading.support.peers;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.state.HostInfo;
import trading.support.Unavailable;
import trading.support.security.PeerSecret;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way a service asks another of its instances (found through Kafka Streams metadata and
 * {@code application.server}) for what only that instance's stores hold: GETs sent to all of them
 * at once, with bounded connect and answer timeouts, authenticated by the service's
 * {@link PeerSecret}. Anything but an answer or a 404 is {@link Unavailable} (HTTP 503 to our
 * own caller): a merged answer is whole or not given.
 */
@ApplicationScoped
public class PeerClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final ObjectMapper json;
    private final PeerSecret secret;

    public PeerClient(ObjectMapper json, PeerSecret secret) {
        this.json = json;
        this.secret = secret;
    }

    /** The instance's answer to {@code path} read as {@code type}; empty when it answers 404. */
    public <T> Optional<T> get(HostInfo instance, String path, JavaType type) {
        return this.<T>getAll(List.of(instance), path, type).get(0);
    }

    /**
     * Every instance's answer to {@code path}, in the order given, asked all at once: the slowest
     * instance, not the sum of them, sets how long a merged answer takes. One that does not answer
     * in time, or answers anything but 200 or 404, makes the whole answer {@link Unavailable}.
     */
    public <T> List<Optional<T>> getAll(List<HostInfo> instances, String path, JavaType type) {
        return getAll(instances, instance -> path, type);
    }

    /** {@link #getAll(List, String, JavaType)}, each instance asked its own question. */
    public <T> List<Optional<T>> getAll(List<HostInfo> instances, java.util.function.Function<HostInfo, String> pathOf, JavaType type) {
        List<Optional<T>> answers = new ArrayList<>(instances.size());
        for (Reply<T> reply : this.<T>getEach(instances, pathOf, type)) {
            answers.add(reply.orThrow());
        }
        return answers;
    }

    /**
     * Like {@link #getAll}, but each instance's reply on its own, for a caller that can stand in
     * for an instance that does not answer (a standby copy of its state), and each instance asked
     * its own question ({@code pathOf}).
     */
    public <T> List<Reply<T>> getEach(List<HostInfo> instances, java.util.function.Function<HostInfo, String> pathOf, JavaType type) {
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>(instances.size());
        for (HostInfo instance : instances) {
            URI uri = URI.create("http://" + instance.host() + ":" + instance.port() + pathOf.apply(instance));
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).GET();
            secret.value().ifPresent(value -> request.header(PeerSecret.HEADER, value));
            pending.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<Reply<T>> replies = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            try {
                replies.add(new Reply<>(this.<T>read(instances.get(i), await(instances.get(i), pending.get(i)), type), null));
            } catch (Unavailable silent) {
                replies.add(new Reply<>(Optional.empty(), silent));
            }
        }
        return replies;
    }

    /** One instance's reply: its answer (empty for 404), or why there is none. */
    public record Reply<T>(Optional<T> answer, Unavailable failure) {
        public boolean answered() {
            return failure == null;
        }

        public Optional<T> orThrow() {
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    private static HttpResponse<byte[]> await(HostInfo instance, CompletableFuture<HttpResponse<byte[]>> response) {
        try {
            // the request's own timeout ends it first; this bound only guards against a lost callback
            return response.get(ANSWER_TIMEOUT.toMillis() + CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new Unavailable("instance " + name(instance) + " does not answer: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
        } catch (TimeoutException e) {
            throw new Unavailable("instance " + name(instance) + " did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking " + name(instance));
        }
    }

    private <T> Optional<T> read(HostInfo instance, HttpResponse<byte[]> response, JavaType type) {
        switch (response.statusCode()) {
            case 200 -> {
                try {
                    return Optional.of(json.readValue(response.body(), type));
                } catch (IOException e) {
                    throw new Unavailable("unreadable answer from instance " + name(instance) + ": " + e.getMessage());
                }
            }
            case 404 -> {
                return Optional.empty();
            }
            case 503 -> throw new Unavailable("instance " + name(instance) + " has its store unavailable (rebalancing or restoring)");
            case 401, 403 -> throw new Unavailable("instance " + name(instance) + " refused this instance (HTTP "
                    + response.statusCode() + "): do both have the same pipeline.peer-secret?");
            default -> throw new Unavailable("instance " + name(instance) + " answered HTTP " + response.statusCode());
        }
    }

    private static String name(HostInfo instance) {
        return instance.host() + ":" + instance.port();
    }

    public JavaType typeOf(Class<?> type) {
        return json.getTypeFactory().constructType(type);
    }

    public JavaType listOf(JavaType element) {
        return json.getTypeFactory().constructCollectionType(List.class, element);
    }

    public JavaType parametric(Class<?> type, Class<?>... parameters) {
        return json.getTypeFactory().constructParametricType(type, parameters);
    }
}
