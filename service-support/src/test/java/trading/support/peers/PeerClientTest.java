package trading.support.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import trading.support.Unavailable;
import trading.support.security.PeerSecret;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one way instances ask each other, against real HTTP servers on loopback. */
class PeerClientTest {

    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<Integer, String> secretsSeen = new ConcurrentHashMap<>();
    private final PeerClient client = new PeerClient(new ObjectMapper(), new PeerSecret(Optional.of("s3cret")));

    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    private HostInfo serve(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        int port = server.getAddress().getPort();
        server.createContext("/", exchange -> {
            secretsSeen.put(port, String.valueOf(exchange.getRequestHeaders().getFirst(PeerSecret.HEADER)));
            try {
                handler.handle(exchange);
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                exchange.close();
            }
        });
        server.start();
        servers.add(server);
        return new HostInfo("localhost", port);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void asksEveryInstanceAtOnceWithTheSecretAndKeepsTheirOrder() throws Exception {
        // the first instance answers only once the second has been asked: asked one after the
        // other, the first would wait out its timeout and the merge would fail
        CountDownLatch secondAsked = new CountDownLatch(1);
        HostInfo first = serve(exchange -> {
            assertTrue(secondAsked.await(10, TimeUnit.SECONDS), "the second instance was asked meanwhile");
            answer(exchange, 200, "[1,2]");
        });
        HostInfo second = serve(exchange -> {
            secondAsked.countDown();
            answer(exchange, 200, "[3]");
        });
        HostInfo third = serve(exchange -> answer(exchange, 404, ""));

        List<Optional<List<Integer>>> answers = client.getAll(List.of(first, second, third), "/stats?local=true",
                client.listOf(client.typeOf(Integer.class)));

        assertEquals(List.of(Optional.of(List.of(1, 2)), Optional.of(List.of(3)), Optional.empty()), answers);
        assertEquals("s3cret", secretsSeen.get(first.port()));
        assertEquals("s3cret", secretsSeen.get(third.port()));
    }

    @Test
    void anInstanceThatFailsOrIsGoneMakesTheWholeAnswerUnavailable() throws Exception {
        HostInfo fine = serve(exchange -> answer(exchange, 200, "1"));
        HostInfo broken = serve(exchange -> answer(exchange, 500, "{}"));
        HostInfo refusing = serve(exchange -> answer(exchange, 403, "{}"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HostInfo gone = new HostInfo("localhost", closedPort);

        Unavailable e500 = assertThrows(Unavailable.class, () -> client.getAll(List.of(fine, broken), "/x", client.typeOf(Integer.class)));
        assertTrue(e500.getMessage().contains("HTTP 500"), e500.getMessage());
        Unavailable e403 = assertThrows(Unavailable.class, () -> client.get(refusing, "/x", client.typeOf(Integer.class)));
        assertTrue(e403.getMessage().contains("peer-secret"), e403.getMessage());
        Unavailable down = assertThrows(Unavailable.class, () -> client.getAll(List.of(fine, gone), "/x", client.typeOf(Integer.class)));
        assertTrue(down.getMessage().contains("does not answer"), down.getMessage());
        assertEquals(Optional.of(1), client.get(fine, "/x", client.typeOf(Integer.class)));
    }
}
