package trading.schema.kafka;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroSerde;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;

import java.util.HashMap;
import java.util.Map;

/**
 * Avro serdes backed by Apicurio Registry, configured the same way in every service: the writer
 * finds (or registers) its schema under {@code <topic>-value}, the reader decodes into the
 * generated classes. A registry that does not answer is told from bad data: see
 * {@link RegistryLookups}.
 */
public final class RegistrySerdes {

    /** Where the registry's v3 API lives, e.g. {@code http://localhost:8085/apis/registry/v3}. */
    public static final String REGISTRY_URL = SerdeConfig.REGISTRY_URL;

    private static final Duration KEEP_RESOLVED = Duration.ofDays(365);

    private RegistrySerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> valueSerde(String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        // The stack registers every contract before the services start (SchemaRegistration); a
        // writer then finds that version by its canonical form instead of racing other writers to
        // create one.
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SerdeConfig.CANONICALIZE, true);
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingDatumProvider.class.getName());
        // A schema id never changes what it names, nor does a contract's version change its id: what
        // was resolved once is kept for good (the default refreshes every 30 s, and a refresh that
        // meets an absent registry would fail a record that needs nothing from it), and a refresh
        // that fails keeps the old value.
        config.put(SchemaResolverConfig.CHECK_PERIOD_MS, KEEP_RESOLVED.toMillis());
        config.put(SchemaResolverConfig.FAULT_TOLERANT_REFRESH, true);
        // the serde's own retries stay within RegistryLookups' time limit
        config.put(SchemaResolverConfig.RETRY_COUNT, 2);
        config.put(SchemaResolverConfig.RETRY_BACKOFF_MS, 200);
        AvroSerde<T> serde = new AvroSerde<>();
        serde.configure(config, false);
        return Serdes.serdeFrom(RegistryLookups.guarded(serde.serializer()), RegistryLookups.guarded(serde.deserializer()));
    }
}
