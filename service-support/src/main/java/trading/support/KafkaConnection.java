package trading.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where every service finds Kafka and how the clients it creates itself (the feed's producer, the
 * gateway's consumer, an admin client counting partitions) log in: the same {@code kafka.*}
 * settings the Kafka Streams configuration uses. Plain text by default; SCRAM over TLS with
 * {@code ./pipeline up --secure} and on Kubernetes (KAFKA_SECURITY_PROTOCOL=SASL_SSL,
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_TYPE=PEM,
 * KAFKA_SSL_TRUSTSTORE_LOCATION=the CA certificate). An empty value counts as not set.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaConnection {

    @WithName("bootstrap.servers")
    String bootstrapServers();

    @WithName("security.protocol")
    Optional<String> securityProtocol();

    @WithName("sasl.mechanism")
    Optional<String> saslMechanism();

    @WithName("sasl.jaas.config")
    Optional<String> saslJaasConfig();

    @WithName("ssl.truststore.type")
    Optional<String> sslTruststoreType();

    @WithName("ssl.truststore.location")
    Optional<String> sslTruststoreLocation();

    @WithName("ssl.truststore.password")
    Optional<String> sslTruststorePassword();

    /** The base of every client a service creates: {@code bootstrap.servers} and the login settings that are set. */
    default Map<String, Object> clientProperties() {
        Map<String, Optional<String>> login = new LinkedHashMap<>();
        login.put("security.protocol", securityProtocol());
        login.put("sasl.mechanism", saslMechanism());
        login.put("sasl.jaas.config", saslJaasConfig());
        login.put("ssl.truststore.type", sslTruststoreType());
        login.put("ssl.truststore.location", sslTruststoreLocation());
        login.put("ssl.truststore.password", sslTruststorePassword());
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrapServers());
        login.forEach((name, value) -> value.filter(text -> !text.isBlank()).ifPresent(text -> properties.put(name, text)));
        return properties;
    }
}
