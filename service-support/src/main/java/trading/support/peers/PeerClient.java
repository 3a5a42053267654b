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
import java.util.Optional;

/**
 * The one way a service asks another of its instances (found through Kafka Streams metadata and
 * {@code application.server}) for what only that instance's stores hold: a GET with bounded
 * connect and answer timeouts, authenticated by the service's {@link PeerSecret}. Anything but an
 * answer or a 404 is {@link Unavailable} (HTTP 503 to our own caller): a merged answer is whole or
 * not given.
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
        URI uri = URI.create("http://" + instance.host() + ":" + instance.port() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).GET();
        secret.value().ifPresent(value -> request.header(PeerSecret.HEADER, value));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unavailable("instance " + instance + " does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking " + instance);
        }
        switch (response.statusCode()) {
            case 200 -> {
                try {
                    return Optional.of(json.readValue(response.body(), type));
                } catch (IOException e) {
                    throw new Unavailable("unreadable answer from instance " + instance + ": " + e.getMessage());
                }
            }
            case 404 -> {
                return Optional.empty();
            }
            case 503 -> throw new Unavailable("instance " + instance + " has its store unavailable (rebalancing or restoring)");
            case 401, 403 -> throw new Unavailable("instance " + instance + " refused this instance (HTTP "
                    + response.statusCode() + "): do both have the same pipeline.peer-secret?");
            default -> throw new Unavailable("instance " + instance + " answered HTTP " + response.statusCode());
        }
    }

    public JavaType typeOf(Class<?> type) {
        return json.getTypeFactory().constructType(type);
    }

    public JavaType listOf(JavaType element) {
        return json.getTypeFactory().constructCollectionType(java.util.List.class, element);
    }

    public JavaType parametric(Class<?> type, Class<?>... parameters) {
        return json.getTypeFactory().constructParametricType(type, parameters);
    }
}
