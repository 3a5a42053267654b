package trading.support.peers;

import jakarta.ws.rs.core.Response;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.support.Unavailable;
import trading.support.rest.ErrorMappers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Kafka Streams client that is not running (never started, then closed) makes a query a
 * 503, "not now", never a 500.
 */
class StreamsNotRunningTest {

    @TempDir
    Path stateDir;

    private KafkaStreams streams() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("prices", org.apache.kafka.streams.kstream.Materialized.as("store"));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "not-running-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return new KafkaStreams(builder.build(), config);
    }

    @Test
    void theAssignmentOfAClientThatIsNotRunningIsUnavailable() {
        KafkaStreams streams = streams();
        Assignment assignment = new Assignment(streams, "prices", () -> {
            throw new AssertionError("no admin client needed");
        });
        HostInfo self = new HostInfo("localhost", 8083);
        Unavailable notStarted = assertThrows(Unavailable.class, () -> assignment.ownedBy(self));
        assertTrue(notStarted.getMessage().startsWith("Kafka Streams is CREATED"), notStarted.getMessage());

        streams.close(Duration.ofSeconds(5));
        Unavailable closed = assertThrows(Unavailable.class, () -> assignment.ownersOfEveryPartition());
        assertTrue(closed.getMessage().startsWith("Kafka Streams is NOT_RUNNING"), closed.getMessage());
    }

    @Test
    void whatKafkaStreamsThrowsWhenNotRunningIsA503AndOtherFaultsA500() {
        KafkaStreams streams = streams();
        streams.close(Duration.ofSeconds(5));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, streams::metadataForAllStreamsClients);
        ErrorMappers mappers = new ErrorMappers();
        Response notNow = mappers.streamsNotRunning(thrown);
        assertEquals(503, notNow.getStatus());
        assertEquals(String.valueOf(ErrorMappers.RETRY_AFTER_SECONDS), notNow.getHeaderString("Retry-After"));

        Response ours = mappers.streamsNotRunning(new IllegalStateException("a bug of ours"));
        assertEquals(500, ours.getStatus());
        assertEquals(Map.of("status", 500, "error", "internal error: a bug of ours"), ours.getEntity());
    }
}
