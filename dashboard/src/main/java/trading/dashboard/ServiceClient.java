package trading.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How the dashboard asks the pipeline's services (price-feed, the strategies, order-execution)
 * over their HTTP APIs: asynchronous, with bounded connect and answer times, and never failing:
 * every outcome is an {@link Answer} that says what came back or why nothing did. (Instances of
 * one service ask each other through service-support's PeerClient instead, which must get every
 * answer or none.)
 *
 * <p>When the services require a login for reads, {@code dashboard.login.user} and
 * {@code dashboard.login.password} (a read-only user) are sent with every request.
 */
@ApplicationScoped
public class ServiceClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

    /** What a service answered: {@code status} 0 and a {@code problem} when it did not answer at all. */
    public record Answer(String service, int status, JsonNode body, String problem) {
        public boolean ok() {
            return status == 200;
        }

        public boolean notFound() {
            return status == 404;
        }

        /** Why this part is missing, for the page and for {@code /api/tickers/{ticker}}. */
        public String why() {
            if (problem != null) {
                return problem;
            }
            JsonNode error = body == null ? null : body.get("error");
            return service + " answered HTTP " + status + (error != null ? ": " + error.asText() : "");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final ObjectMapper json;
    private final ServiceUrls urls;
    private final Optional<String> readLogin;

    public ServiceClient(ObjectMapper json, ServiceUrls urls,
                         @ConfigProperty(name = "dashboard.login.user") Optional<String> user,
                         @ConfigProperty(name = "dashboard.login.password") Optional<String> password) {
        this.json = json;
        this.urls = urls;
        this.readLogin = user.filter(u -> !u.isBlank()).map(u -> "Basic " + Base64.getEncoder()
                .encodeToString((u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
    }

    public CompletableFuture<Answer> get(String service, String path) {
        return getAt(service, urls.of(service), path);
    }

    /** A GET of {@code path} at {@code baseUrl}, {@code service} naming it in answers (a strategy: {@link Strategies}). */
    public CompletableFuture<Answer> getAt(String service, String baseUrl, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(ANSWER_TIMEOUT).GET();
        readLogin.ifPresent(login -> request.header("Authorization", login));
        return send(service, request);
    }

    /** A POST on the caller's behalf: their {@code Authorization} goes along, the service decides. */
    public CompletableFuture<Answer> post(String service, String path, String body, String authorization) {
        HttpRequest.Builder request = request(service, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(service, request);
    }

    private HttpRequest.Builder request(String service, String path) {
        return HttpRequest.newBuilder(URI.create(urls.of(service) + path)).timeout(ANSWER_TIMEOUT);
    }

    private CompletableFuture<Answer> send(String service, HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> read(service, response))
                .exceptionally(e -> new Answer(service, 0, null, service + " does not answer: "
                        + (e.getCause() != null ? e.getCause() : e)));
    }

    private Answer read(String service, HttpResponse<byte[]> response) {
        try {
            JsonNode body = response.body().length == 0 ? null : json.readTree(response.body());
            return new Answer(service, response.statusCode(), body, null);
        } catch (java.io.IOException e) {
            return new Answer(service, response.statusCode(), null,
                    service + " answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
    }
}
