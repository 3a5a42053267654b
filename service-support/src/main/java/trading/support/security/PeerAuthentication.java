package trading.support.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Instance-to-instance requests (a forwarded state query, order-execution's fan-out) carry the
 * secret shared by the instances of a service in {@link PeerSecret#HEADER}; a request that shows
 * it is the {@link Roles#PEER} identity. A wrong secret fails the request (401); no header leaves
 * the request to the other mechanisms (Basic).
 */
public final class PeerAuthentication {

    private PeerAuthentication() {
    }

    /** What a peer request presents. */
    public static final class PeerRequest extends BaseAuthenticationRequest {
        final String presented;

        PeerRequest(String presented) {
            this.presented = presented;
        }
    }

    @ApplicationScoped
    public static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
            String presented = context.request().getHeader(PeerSecret.HEADER);
            if (presented == null) {
                return Uni.createFrom().nullItem();
            }
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new PeerRequest(presented), context));
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            return Uni.createFrom().nullItem(); // peers do not log in; people get Basic's challenge
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(PeerRequest.class);
        }
    }

    @ApplicationScoped
    public static class Provider implements IdentityProvider<PeerRequest> {

        private final PeerSecret secret;

        public Provider(PeerSecret secret) {
            this.secret = secret;
        }

        @Override
        public Class<PeerRequest> getRequestType() {
            return PeerRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(PeerRequest request, AuthenticationRequestContext context) {
            byte[] expected = secret.value().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
            if (expected == null || !MessageDigest.isEqual(expected, request.presented.getBytes(StandardCharsets.UTF_8))) {
                return Uni.createFrom().failure(new AuthenticationFailedException("wrong peer secret"));
            }
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("peer"))
                    .addRole(Roles.PEER)
                    .build());
        }
    }
}
