package trading.execution.fix;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import trading.schema.kafka.DependencyUnavailable;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the gateway's writes fail. Kafka's own MockProducer stands in for the broker here because
 * what is tested is our mapping of each way {@code send} can fail, which a real broker cannot be
 * made to produce on demand (a serializer whose registry is away fails inside {@code send}).
 */
class GatewayPublishTest {

    /** A value serializer whose schema registry does not answer, as RegistrySerdes' does then. */
    private static final Serializer<String> REGISTRY_AWAY = (topic, value) -> {
        throw new DependencyUnavailable("schema registry", "the schema of " + topic + ": no answer within 5 s", null);
    };

    @Test
    void aSerializerThatFindsTheRegistryAwayIsAGatewayFailureNotAnEscape() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), REGISTRY_AWAY);
        FixGateway.GatewayException e = assertThrows(FixGateway.GatewayException.class,
                () -> FixGateway.sendAndWait(producer, new ProducerRecord<>("broker.events", "AAPL", "FILL"), "FILL of o-1",
                        Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("FILL of o-1") && e.getMessage().contains("schema registry"), e.getMessage());
        assertEquals(0, producer.history().size(), "nothing was written");
    }

    @Test
    void aWriteTheBrokerRefusesIsAGatewayFailure() {
        MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        Thread broker = new Thread(() -> {
            while (!producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("not enough replicas"))) {
                Thread.onSpinWait(); // until the send below is waiting
            }
        });
        broker.start();
        FixGateway.GatewayException e = assertThrows(FixGateway.GatewayException.class,
                () -> FixGateway.sendAndWait(producer, new ProducerRecord<>("broker.events", "AAPL", "FILL"), "FILL of o-1",
                        Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("not enough replicas"), e.getMessage());
    }

    @Test
    void anAcknowledgedWriteReturns() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        FixGateway.sendAndWait(producer, new ProducerRecord<>("broker.events", "AAPL", "FILL"), "FILL of o-1", Duration.ofSeconds(1));
        assertEquals("FILL", producer.history().get(0).value());
    }
}
