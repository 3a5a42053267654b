package trading.support;

import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * How the clients a service creates itself (the feed's producer, the strategies' admin client)
 * authenticate: the same {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and
 * {@code kafka.sasl.jaas.config}, and the CA to trust ({@code kafka.ssl.truststore.*}), that the
 * Kafka Streams configuration uses. Plain text by default; SCRAM over TLS with
 * {@code ./pipeline up --secure} and on Kubernetes (KAFKA_SECURITY_PROTOCOL=SASL_SSL,
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_TYPE=PEM,
 * KAFKA_SSL_TRUSTSTORE_LOCATION=the CA certificate).
 */
public final class KafkaSecurity {

    private static final String[] PROPERTIES = {"security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password"};

    private KafkaSecurity() {
    }

    public static Map<String, Object> clientProperties(Config config) {
        Map<String, Object> properties = new HashMap<>();
        for (String name : PROPERTIES) {
            config.getOptionalValue("kafka." + name, String.class)
                    .filter(value -> !value.isBlank())
                    .ifPresent(value -> properties.put(name, value));
        }
        return properties;
    }
}
