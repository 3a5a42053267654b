package trading.support;

import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * How the clients a service creates itself (the feed's producer, the strategies' admin client)
 * authenticate: the same {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and
 * {@code kafka.sasl.jaas.config} that the Kafka Streams configuration uses. Plain text locally;
 * SCRAM on Kubernetes (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG).
 */
public final class KafkaSecurity {

    private static final String[] PROPERTIES = {"security.protocol", "sasl.mechanism", "sasl.jaas.config"};

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
