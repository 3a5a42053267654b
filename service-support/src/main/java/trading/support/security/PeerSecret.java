package trading.support.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The secret the instances of one service share ({@code pipeline.peer-secret}, from the
 * environment: {@code PIPELINE_PEER_SECRET}). Answers limited to one instance's own stores
 * ({@code ?local=true}, forwarded queries) are for peers only: anyone else would get a partial
 * answer, or get around the login that reads may require.
 */
@ApplicationScoped
public class PeerSecret {

    /** The header a peer request carries the secret in. */
    public static final String HEADER = "X-Pipeline-Peer";

    private static final Logger LOG = Logger.getLogger(PeerSecret.class);

    private final Optional<String> value;

    public PeerSecret(@ConfigProperty(name = "pipeline.peer-secret") Optional<String> value) {
        this.value = value.filter(s -> !s.isBlank());
        if (this.value.isEmpty()) {
            LOG.warn("pipeline.peer-secret is not set: instance-local answers (?local=true) are open to anyone");
        }
    }

    public Optional<String> value() {
        return value;
    }

    /** Refuses a caller that asks for an instance-local answer ({@code local}) without being a peer. */
    public void checkLocal(boolean local, SecurityIdentity caller) {
        if (local && value.isPresent() && !caller.hasRole(Roles.PEER)) {
            throw new ForbiddenException("instance-local answers (local=true) are for the other instances of this service;"
                    + " ask without local=true for the whole answer");
        }
    }
}
