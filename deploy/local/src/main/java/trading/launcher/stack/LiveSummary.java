package trading.launcher.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import trading.launcher.stack.StackConfig.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * What the running stack is doing, from the services' own endpoints: prices published and their
 * rate ({@code GET /feed}), orders and fills ({@code GET /stats} of order-execution).
 */
public final class LiveSummary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final StackConfig config;
    private final String authorization;
    private long lastPublished = -1;
    private long lastNanos;

    /** @param viewer the read-only login, for services that require one for reads */
    public LiveSummary(StackConfig config, HttpCredentials.Login viewer) {
        this.config = config;
        this.authorization = viewer.authorization();
    }

    /** Orders and fills so far, from order-execution. */
    public record Counts(long orders, long filled, long rejected, JsonNode byStrategy) {
    }

    public Optional<Counts> counts() {
        return get(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/stats").map(stats -> new Counts(
                stats.path("orders").asLong(), stats.path("byStatus").path("FILLED").asLong(),
                stats.path("byStatus").path("REJECTED").asLong(), stats.path("byStrategy")));
    }

    public String line() {
        StringBuilder line = new StringBuilder(LocalTime.now().format(TIME));
        Optional<JsonNode> feed = get(config.serviceUrl(Service.PRICE_FEED, 0) + "/feed");
        long now = System.nanoTime();
        if (feed.isPresent()) {
            long published = feed.get().path("published").asLong();
            String rate = lastPublished < 0 ? "-" : String.format("%.0f", (published - lastPublished) / ((now - lastNanos) / 1e9));
            line.append(String.format("  prices %,d (%s/s)", published, rate));
            lastPublished = published;
            lastNanos = now;
        } else {
            line.append("  prices ? (price-feed not answering)");
        }
        Optional<Counts> counts = counts();
        if (counts.isPresent()) {
            Counts c = counts.get();
            String byStrategy = config.strategies().stream().map(s -> String.format("%s %,d", s.strategy().name(),
                    c.byStrategy().path(s.strategy().name()).asLong())).collect(java.util.stream.Collectors.joining(", "));
            line.append(String.format("  orders %,d (%s)  fills %,d  rejected %,d", c.orders(), byStrategy, c.filled(),
                    c.rejected()));
        } else {
            line.append("  orders ? (order-execution not answering)");
        }
        if (config.runs(Service.EXCHANGE_SIMULATOR)) {
            get(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/broker").map(broker -> broker.path("fix"))
                    .filter(fix -> !fix.isMissingNode() && !fix.isNull())
                    .ifPresent(fix -> line.append(String.format("  FIX %s, sent %,d, order to fill p50 %s ms",
                            fix.path("loggedOn").asBoolean() ? "up" : "DOWN", fix.path("sent").asLong(),
                            fix.path("roundTripP50Millis").asText("-"))));
        }
        get(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading").filter(t -> t.path("halted").asBoolean())
                .ifPresent(t -> line.append("  HALTED (").append(t.path("reason").asText()).append(")"));
        return line.toString();
    }

    private Optional<JsonNode> get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(json.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
