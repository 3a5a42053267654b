package trading.execution.streams;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import trading.schema.Topics;
import trading.schema.TradingControl;
import trading.schema.kafka.RegistrySerdes;
import trading.support.KafkaConnection;
import trading.support.RegistryConnection;
import trading.support.Unavailable;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kill switch over HTTP: a halt or resume is a record on the compacted {@code trading.control}
 * topic, so it reaches every instance (global store) and outlives any restart. A request returns
 * once this instance's copy shows it, i.e. once orders processed here see it.
 */
@ApplicationScoped
public class TradingControls {

    private final KafkaStreams streams;
    private final String registryUrl;
    private final KafkaConnection kafka;
    private final String self;
    private final Deserializer<TradingControl> deserializer;
    private KafkaProducer<String, TradingControl> producer;

    /** The switch as users see it. */
    public record Status(boolean halted, String reason, String changedBy, Instant changedAt) {
    }

    public TradingControls(KafkaStreams streams,
                           RegistryConnection registry, KafkaConnection kafka,
                           @ConfigProperty(name = "quarkus.kafka-streams.application-server") String self) {
        this.streams = streams;
        this.registryUrl = registry.registryUrl();
        this.kafka = kafka;
        this.self = self;
        this.deserializer = RegistrySerdes.<TradingControl>valueSerde(this.registryUrl).deserializer();
    }

    public Status status() {
        byte[] bytes;
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ExecutionTopology.CONTROL_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            bytes = store.get(TradingSwitch.KEY);
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the kill switch is not readable yet (Kafka Streams is " + streams.state() + ")");
        }
        if (bytes == null) {
            return new Status(false, null, null, null);
        }
        try {
            TradingControl control = deserializer.deserialize(Topics.TRADING_CONTROL, bytes);
            return new Status(control.getHalted(), control.getReason(), control.getChangedBy(), control.getChangedAt());
        } catch (RuntimeException e) {
            return new Status(true, "the kill switch record cannot be read: " + e.getMessage(), null, null);
        }
    }

    /** Halts or resumes trading on behalf of {@code who} (the authenticated caller). */
    public Status set(boolean halted, String reason, String who) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TradingControl control = TradingControl.newBuilder().setHalted(halted).setReason(reason)
                .setChangedBy(who + " via " + self).setChangedAt(at).build();
        try {
            producer().send(new ProducerRecord<>(Topics.TRADING_CONTROL, TradingSwitch.KEY, control)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new Unavailable("could not write the kill switch: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Status now = status();
            if (now.halted() == halted && at.equals(now.changedAt())) {
                return now;
            }
            try {
                Thread.sleep(50); // polling the local global store until our own record shows
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new Unavailable("the kill switch was written but this instance has not seen it yet; ask GET /trading again");
    }

    private synchronized KafkaProducer<String, TradingControl> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(kafka.clientProperties());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(config, new StringSerializer(),
                    RegistrySerdes.<TradingControl>valueSerde(registryUrl).serializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
