package trading.schema.kafka;

import io.apicurio.registry.serde.avro.AvroSerde;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import java.util.HashMap;
import java.util.Map;

/**
 * Avro serdes backed by Apicurio Registry, configured the same way in every service: the writer
 * finds (or registers) its schema under {@code <topic>-value}, the reader decodes into the
 * generated classes.
 */
public final class RegistrySerdes {

    /** Where the registry's v3 API lives, e.g. {@code http://localhost:8085/apis/registry/v3}. */
    public static final String REGISTRY_URL = SerdeConfig.REGISTRY_URL;

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
        AvroSerde<T> serde = new AvroSerde<>();
        serde.configure(config, false);
        return serde;
    }
}
