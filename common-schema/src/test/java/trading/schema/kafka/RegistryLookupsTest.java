package trading.schema.kafka;

import com.microsoft.kiota.ApiException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import trading.schema.Price;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry that is not there (refused) or does not answer (accepts, then says nothing, as a
 * paused process does) against a real HTTP client: the record is not judged, and waits.
 */
class RegistryLookupsTest {

    /** The wire format of a record written under schema id 7: magic byte, id, then Avro bytes. */
    private static final byte[] UNDER_SCHEMA_7 = {0, 0, 0, 0, 7, 2, 65};

    @Test
    void aRecordIsNotDeadLetteredWhileTheRegistryRefusesConnections() throws IOException {
        String registry = "http://127.0.0.1:" + freePort() + "/apis/registry/v3";
        try (TopologyTestDriver driver = decoding(registry)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> deadLetters = driver.createOutputTopic("dlq", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> in.pipeInput("AAPL", UNDER_SCHEMA_7));
            DependencyUnavailable unavailable = DependencyUnavailable.in(thrown).orElseThrow(() -> new AssertionError(thrown));
            assertEquals("schema registry", unavailable.dependency());
            assertTrue(unavailable.getMessage().contains("schema 7"), unavailable.getMessage());
            assertTrue(deadLetters.isEmpty(), "a valid-looking record waits for the registry, it is not dead-lettered");
            assertTrue(RegistryLookups.problem().isPresent(), "readiness is told");

            // what is not the wire format needs no registry to judge: dead-lettered at once
            in.pipeInput("AAPL", "garbage".getBytes(StandardCharsets.UTF_8));
            assertEquals("garbage", new String(deadLetters.readValue(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRegistryThatAcceptsButNeverAnswersFailsTheLookupWithinItsTimeLimit() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // read nothing, answer nothing: a paused process
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var deserializer = RegistrySerdes.<Price>valueSerde("http://127.0.0.1:" + silent.getLocalPort() + "/apis/registry/v3").deserializer();
            long start = System.nanoTime();
            DependencyUnavailable unavailable = assertThrows(DependencyUnavailable.class, () -> deserializer.deserialize("prices", UNDER_SCHEMA_7));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < RegistryLookups.LOOKUP_TIMEOUT.toSeconds() + 3, "bounded by the lookup's limit, took " + seconds + " s");
            assertTrue(unavailable.getMessage().contains("no answer within"), unavailable.getMessage());

            // asked again while the first call still hangs: it waits for that call rather than leave
            // a second thread hanging on the silent registry
            DependencyUnavailable again = assertThrows(DependencyUnavailable.class, () -> deserializer.deserialize("prices", UNDER_SCHEMA_7));
            assertTrue(again.getMessage().contains("an earlier call still waits"), again.getMessage());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aRegistryThatDropsTheConnectionIsUnavailableNotBadData() throws Exception {
        // a registry killed while it serves a request closes the connection without an answer
        try (ServerSocket dropping = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        dropping.accept().close();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var deserializer = RegistrySerdes.<Price>valueSerde("http://127.0.0.1:" + dropping.getLocalPort() + "/apis/registry/v3").deserializer();
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> deserializer.deserialize("prices", UNDER_SCHEMA_7));
            assertTrue(thrown instanceof DependencyUnavailable, "not judged as bad data: " + thrown);
        }
    }

    @Test
    void anAnswerThatComesAfterItsCallerGaveUpStillSaysTheRegistryIsBack() throws InterruptedException {
        // a paused registry answers the calls it held when it resumes, after their callers timed out
        CountDownLatch registryResumes = new CountDownLatch(1);
        DependencyUnavailable unavailable = assertThrows(DependencyUnavailable.class,
                () -> RegistryLookups.timed("a held call " + System.nanoTime(), () -> {
                    try {
                        registryResumes.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "the schema";
                }));
        assertTrue(unavailable.getMessage().contains("no answer within"), unavailable.getMessage());
        assertTrue(RegistryLookups.problem().isPresent(), "readiness is told");

        registryResumes.countDown();
        assertTrue(problemClearsWithin(Duration.ofSeconds(10)), "the late answer clears the problem: " + RegistryLookups.problem());
    }

    @Test
    void whileTheProblemLastsReadinessAsksTheFailedQuestionAgain() throws InterruptedException {
        // the stream thread that failed may never ask again (its task moved to another instance):
        // readiness must not stay down for ever once the registry is back
        AtomicBoolean registryUp = new AtomicBoolean(false);
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> lookup = () -> {
            asked.incrementAndGet();
            if (!registryUp.get()) {
                throw new IllegalStateException(new ConnectException("Connection refused"));
            }
            return "the schema";
        };
        assertThrows(DependencyUnavailable.class, () -> RegistryLookups.timed("a refused call " + System.nanoTime(), lookup));
        assertTrue(RegistryLookups.problem().isPresent(), "readiness is told");

        registryUp.set(true);
        assertTrue(problemClearsWithin(Duration.ofSeconds(10)), "asked again and answered: " + RegistryLookups.problem());
        assertTrue(asked.get() >= 2, "asked " + asked.get() + " times");
    }

    /** Polls readiness's view, as a probe does, until it is clear or {@code limit} passes. */
    private static boolean problemClearsWithin(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (RegistryLookups.problem().isEmpty()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void onlyWhatSaysTheServiceDidNotAnswerCountsAsUnavailable() {
        assertTrue(DependencyUnavailable.isUnanswered(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(DependencyUnavailable.isUnanswered(new TimeoutException()));
        assertTrue(DependencyUnavailable.isUnanswered(withStatus(503)));
        assertTrue(DependencyUnavailable.isUnanswered(withStatus(429)));
        assertFalse(DependencyUnavailable.isUnanswered(withStatus(404)), "an id the registry does not know is bad data");
        assertFalse(DependencyUnavailable.isUnanswered(new IllegalArgumentException("not Avro")));
    }

    @Test
    void theWireFormatsSchemaIdIsReadFromItsFirstFiveBytes() {
        assertEquals(7, RegistryLookups.schemaId(UNDER_SCHEMA_7));
        assertEquals(0x01020304, RegistryLookups.schemaId(new byte[]{0, 1, 2, 3, 4}));
        assertEquals(-1, RegistryLookups.schemaId(new byte[]{1, 0, 0, 0, 7}), "no magic byte");
        assertEquals(-1, RegistryLookups.schemaId(new byte[]{0, 0, 0}), "too short");
        assertEquals(-1, RegistryLookups.schemaId(null));
    }

    private static ApiException withStatus(int status) {
        ApiException error = new ApiException("status " + status) {
            {
                setResponseStatusCode(status); // as the registry's client sets it from the response
            }
        };
        return error;
    }

    private static TopologyTestDriver decoding(String registry) {
        StreamsBuilder builder = new StreamsBuilder();
        DeadLetters.decode(builder.stream("in", Consumed.with(Serdes.String(), Serdes.ByteArray())),
                        RegistrySerdes.<Price>valueSerde(registry).deserializer(), (key, value) -> null, "dlq")
                .mapValues(Price::getTicker).to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "registry-lookups-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), config);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
