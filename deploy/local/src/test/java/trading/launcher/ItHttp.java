package trading.launcher;

import trading.launcher.stack.HttpCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** HTTP to the services of a test's stack, and bounded waits on what they answer. */
final class ItHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A status, its JSON body (a JSON null when the body is empty) and its headers. */
    record Reply(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        /** The answer's {@code Retry-After}, or null. */
        String retryAfter() {
            return headers.firstValue("Retry-After").orElse(null);
        }
    }

    private ItHttp() {
    }

    static Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** The body of a GET that must answer 200, as text (Prometheus' format, OpenAPI's YAML). */
    static String getText(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + url + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET with extra headers, name then value. */
    static Reply get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).headers(headers).GET());
    }

    static Reply post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST as {@code login} (HTTP Basic). */
    static Reply post(String url, String json, HttpCredentials.Login login) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", login.authorization()).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST as {@code login} with a body of {@code contentType} and extra headers, name then value. */
    static Reply post(String url, String body, String contentType, HttpCredentials.Login login, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .header("Authorization", login.authorization()).POST(HttpRequest.BodyPublishers.ofString(body));
        return send(headers.length == 0 ? request : request.headers(headers));
    }

    /** A POST with a bearer token. */
    static Reply postWithToken(String url, String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Reply send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()),
                    response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(built.method() + " " + built.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the supplier gives a value; a bounded wait on a condition. */
    static JsonNode awaitJson(String what, Duration timeout, Supplier<JsonNode> probe) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode value = probe.get();
            if (value != null) {
                reportWait(what, start);
                return value;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        return null;
    }

    /** Prints a wait that took a while, so that the suite's log says where its time goes. */
    static void reportWait(String what, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (seconds >= 2) {
            System.out.printf("waited %.1f s for %s%n", seconds, what);
        }
    }
}
