package trading.launcher;

import trading.launcher.stack.KafkaCredentials;
import trading.launcher.stack.StackConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Tries what a Kafka user may and may not do on a {@code --secure} stack, as an outside client
 * would: each answer is what the broker said (authorised, or which refusal), never a guess from a
 * timeout alone.
 */
final class KafkaLocks {

    /** What the broker answered. */
    enum Answer { ALLOWED, NOT_AUTHORISED, NOT_AUTHENTICATED, NO_ANSWER }

    private final StackConfig config;
    private final KafkaCredentials credentials;

    KafkaLocks(StackConfig config) {
        this.config = config;
        this.credentials = KafkaCredentials.existing(config.runDir());
    }

    Map<String, Object> as(String user) {
        Map<String, Object> properties = new HashMap<>(credentials.clientProperties(user));
        properties.put("bootstrap.servers", config.bootstrapServers());
        return properties;
    }

    /** Over TLS like a service, but as {@code user} with {@code password} (which may not exist). */
    Map<String, Object> withPassword(String user, String password) {
        Map<String, Object> properties = as(KafkaCredentials.ADMIN);
        properties.put("sasl.jaas.config", KafkaCredentials.jaas(user, password));
        return properties;
    }

    /** A client that speaks plain text to the TLS listener: no certificate check, no login. */
    Map<String, Object> anonymous() {
        return new HashMap<>(Map.of("bootstrap.servers", config.bootstrapServers()));
    }

    /** Whether the client may list the cluster's nodes (every authenticated user may). */
    Answer connect(Map<String, Object> client) {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put("request.timeout.ms", 3000);
        properties.put("default.api.timeout.ms", 8000);
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            return Answer.ALLOWED;
        } catch (ExecutionException e) {
            return e.getCause() instanceof SaslAuthenticationException ? Answer.NOT_AUTHENTICATED : Answer.NO_ANSWER;
        } catch (Exception e) {
            return Answer.NO_ANSWER;
        }
    }

    /**
     * Sends one record that the pipeline could not decode (were it let through, the topic's
     * readers would dead-letter it) and says whether the broker took it.
     */
    Answer write(Map<String, Object> client, String topic) {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put("enable.idempotence", false); // a refusal then names the topic, not the producer id
        properties.put("acks", "all");
        properties.put("max.block.ms", 10_000);
        properties.put("delivery.timeout.ms", 15_000);
        properties.put("request.timeout.ms", 5_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "ACL-PROBE".getBytes(StandardCharsets.UTF_8),
                    "an ACL probe".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
            return Answer.ALLOWED;
        } catch (ExecutionException e) {
            return classify(e.getCause());
        } catch (TopicAuthorizationException e) {
            return Answer.NOT_AUTHORISED;
        } catch (Exception e) {
            return Answer.NO_ANSWER;
        }
    }

    /** Reads the topic's partitions without a consumer group; allowed means at least one record came back. */
    Answer read(Map<String, Object> client, String topic) {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put("auto.offset.reset", "earliest");
        properties.put("enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            consumer.assign(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return Answer.ALLOWED;
                }
            }
            return Answer.NO_ANSWER;
        } catch (Exception e) {
            return classify(e);
        }
    }

    private static Answer classify(Throwable error) {
        if (error instanceof TopicAuthorizationException) {
            return Answer.NOT_AUTHORISED;
        }
        if (error instanceof SaslAuthenticationException) {
            return Answer.NOT_AUTHENTICATED;
        }
        return Answer.NO_ANSWER;
    }
}
