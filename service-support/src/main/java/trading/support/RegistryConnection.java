package trading.support;

import io.smallrye.config.ConfigMapping;

/** Where every service finds Apicurio Registry, which serves the Avro contracts: {@code pipeline.registry-url}. */
@ConfigMapping(prefix = "pipeline")
public interface RegistryConnection {

    /** The registry's v3 API, e.g. {@code http://localhost:8085/apis/registry/v3}. */
    String registryUrl();
}
