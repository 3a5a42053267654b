package trading.execution.streams;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.support.Unavailable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The other order-execution instances, for answers that span every partition: each instance
 * holds the orders and books of the tickers it owns, so {@code /orders}, {@code /positions} and
 * {@code /pnl} ask the others ({@code ?local=true}, answered from their own stores) and merge.
 * With one instance there is no one to ask.
 */
@ApplicationScoped
public class OtherInstances {

    private final KafkaStreams streams;
    private final ObjectMapper json;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public OtherInstances(KafkaStreams streams, ObjectMapper json,
                          @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.streams = streams;
        this.json = json;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** Every other instance that runs the order-execution topology. */
    public List<HostInfo> all() {
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (!instance.hostInfo().equals(self) && instance.stateStoreNames().contains(ExecutionTopology.ORDERS_STORE)) {
                others.add(instance.hostInfo());
            }
        }
        return others;
    }

    public JavaType typeOf(Class<?> type) {
        return json.getTypeFactory().constructType(type);
    }

    public JavaType listOf(Class<?> element) {
        return json.getTypeFactory().constructCollectionType(List.class, element);
    }

    /** The instance's answer to {@code path} (which must ask for local answers), empty on 404. */
    public <T> Optional<T> get(HostInfo instance, String path, JavaType type) {
        URI uri = URI.create("http://" + instance.host() + ":" + instance.port() + path);
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new Unavailable("instance " + instance + " answered HTTP " + response.statusCode());
            }
            return Optional.of(json.readValue(response.body(), type));
        } catch (IOException e) {
            throw new Unavailable("instance " + instance + " does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking " + instance);
        }
    }
}
