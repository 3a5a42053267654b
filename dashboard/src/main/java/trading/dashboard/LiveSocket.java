package trading.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import trading.support.rest.Identifiers;

import java.io.IOException;
import java.util.Map;

/**
 * The page's live connection ({@code /live}): the server pushes, a few times a second, what changed
 * ({@link LivePush}); the page sends only which ticker it shows, {@code {"select": "AAPL"}}.
 */
@WebSocket(path = "/live")
public class LiveSocket {


    private final LivePush push;
    private final ObjectMapper json;

    public LiveSocket(LivePush push, ObjectMapper json) {
        this.push = push;
        this.json = json;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        push.join(connection);
    }

    @OnTextMessage
    public String message(String text, WebSocketConnection connection) {
        try {
            JsonNode message = json.readTree(text);
            String ticker = message == null ? null : message.path("select").asText(null);
            if (!Identifiers.matches(ticker)) {
                return json.writeValueAsString(Map.of("error", "send {\"select\": \"<ticker>\"} with " + Identifiers.RULE));
            }
            String refused = push.select(connection.id(), ticker);
            return refused == null ? null : json.writeValueAsString(Map.of("error", refused));
        } catch (IOException e) {
            return "{\"error\":\"not JSON\"}";
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        push.leave(connection.id());
    }
}
