package trading.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import jakarta.ws.rs.NotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import trading.support.Unavailable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/tickers/{ticker}} against real HTTP servers on loopback standing in for the services. */
class DashboardResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<HttpServer> servers = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    @AfterEach
    void stop() {
        released.countDown();
        servers.forEach(server -> server.stop(0));
    }

    /** A service answering each path with a status and body; unknown paths are 404. */
    private String service(Map<String, String> answers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            String body = answers.get(path);
            if (body != null && body.equals("hang")) {
                try {
                    released.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = body == null ? 404 : body.startsWith("500") ? 500 : 200;
            byte[] bytes = (body == null ? "{\"error\":\"not found\"}" : status == 500 ? "{\"error\":\"boom\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A port where nothing listens. */
    private static String nobody() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /**
     * The resource over these strategies and order-execution, after it learnt what each strategy
     * is: strategies describe themselves once (GET /strategy), then {@code after} runs (e.g. to stop
     * one), then the ticker is asked.
     */
    private DashboardResource resource(String abc, String xyz, String orderExecution) {
        ServiceUrls urls = new ServiceUrls("http://127.0.0.1:1", orderExecution, List.of(abc, xyz));
        ServiceClient client = new ServiceClient(JSON, urls, Optional.empty(), Optional.empty());
        Strategies strategies = new Strategies(client, urls);
        strategies.refresh();
        return new DashboardResource(client, null, strategies, JSON);
    }

    /** A strategy that described itself, then each of its paths answers as {@code answers} says. */
    private String strategy(String name, Map<String, String> answers) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(answers);
        all.put("/strategy", "{\"name\":\"" + name + "\",\"applicationId\":\"trading-strategy." + name + "\",\"indicators\":[]}");
        return service(all);
    }

    private static final Map<String, String> ABC = Map.of(
            "/state/AAPL", "{\"ticker\":\"AAPL\",\"position\":\"LONG\",\"fastSma\":101.5}",
            "/state/AAPL/signals", "[{\"signal\":\"BUY\"}]");
    private static final Map<String, String> XYZ = Map.of(
            "/state/AAPL", "{\"ticker\":\"AAPL\",\"position\":\"FLAT\",\"rsi\":55.1}",
            "/state/AAPL/signals", "[]");
    private static final Map<String, String> ORDER_EXECUTION = Map.of(
            "/orders?limit=20&ticker=AAPL", "[{\"orderId\":\"o1\",\"status\":\"FILLED\"}]",
            "/positions?ticker=AAPL", "[{\"strategy\":\"abc\",\"quantity\":100}]",
            "/orders?limit=20&ticker=ZZZ", "[]",
            "/positions?ticker=ZZZ", "[]");

    private static JsonNode body(jakarta.ws.rs.core.Response response) {
        return (JsonNode) response.getEntity();
    }

    @Test
    void everyServiceAnswersAndTheAnswerIsComplete() throws IOException {
        var response = resource(strategy("abc", ABC), strategy("xyz", XYZ), service(ORDER_EXECUTION)).ticker("AAPL");
        JsonNode body = body(response);
        assertEquals(200, response.getStatus());
        assertTrue(body.path("complete").asBoolean(), body.toString());
        assertEquals("LONG", body.path("strategy-abc").path("state").path("position").asText());
        assertEquals("BUY", body.path("strategy-abc").path("signals").get(0).path("signal").asText());
        assertEquals(55.1, body.path("strategy-xyz").path("state").path("rsi").asDouble());
        assertEquals("o1", body.path("order-execution").path("orders").get(0).path("orderId").asText());
        assertEquals(100, body.path("order-execution").path("positions").get(0).path("quantity").asInt());
    }

    @Test
    void aServiceThatDoesNotAnswerIsNamedAndTheAnswerSaysItIsIncomplete() throws IOException {
        String xyz = strategy("xyz", XYZ);
        DashboardResource resource = resource(strategy("abc", ABC), xyz, service(ORDER_EXECUTION));
        servers.get(0).stop(0); // xyz (the first server made) described itself, then went away
        var response = resource.ticker("AAPL");
        JsonNode body = body(response);
        assertEquals(200, response.getStatus());
        assertFalse(body.path("complete").asBoolean(), body.toString());
        assertTrue(body.path("strategy-xyz").path("unavailable").asText().contains("strategy-xyz does not answer"), body.toString());
        assertTrue(body.path("missing").has("strategy-xyz"), body.toString());
        assertEquals("LONG", body.path("strategy-abc").path("state").path("position").asText(), "the rest is there");
    }

    @Test
    void aServiceThatHangsIsGivenUpAfterTheTimeoutAndOneThatFailsIsNamedWithItsError() throws IOException {
        Map<String, String> hanging = Map.of("/state/AAPL", "hang", "/state/AAPL/signals", "hang");
        Map<String, String> failing = Map.of("/state/AAPL", "500", "/state/AAPL/signals", "[]");
        long start = System.nanoTime();
        JsonNode body = body(resource(strategy("abc", hanging), strategy("xyz", failing), service(ORDER_EXECUTION)).ticker("AAPL"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < ServiceClient.ANSWER_TIMEOUT.toSeconds() + 5, "bounded: " + seconds + " s");
        assertTrue(body.path("strategy-abc").path("unavailable").asText().contains("does not answer"), body.toString());
        assertEquals("strategy-xyz answered HTTP 500: boom", body.path("strategy-xyz").path("unavailable").asText());
        assertFalse(body.path("complete").asBoolean());
    }

    @Test
    void noServiceAnsweringIs503AndATickerNoOneSawIs404() throws Exception {
        DashboardResource none = resource(nobody(), nobody(), nobody());
        Unavailable unavailable = assertThrows(Unavailable.class, () -> none.ticker("AAPL"));
        assertTrue(unavailable.getMessage().startsWith("no service answered"), unavailable.getMessage());

        // a strategy that never said what it is: the answer says it cannot be complete
        String silent = nobody();
        JsonNode partial = body(resource(strategy("abc", ABC), silent, service(ORDER_EXECUTION)).ticker("AAPL"));
        assertFalse(partial.path("complete").asBoolean(), partial.toString());
        assertTrue(partial.path("missing").has("strategy at " + silent), partial.toString());

        DashboardResource all = resource(strategy("abc", ABC), strategy("xyz", XYZ), service(ORDER_EXECUTION));
        assertThrows(NotFoundException.class, () -> all.ticker("ZZZ"));
        // a malformed ticker never reaches the method: the constraint answers 400 (IdentifierTest, PipelineIT)
        assertTrue(DashboardResource.class.getMethod("ticker", String.class).getParameters()[0]
                .isAnnotationPresent(trading.support.rest.Identifier.class), "the ticker is checked by @Identifier");
    }
}
