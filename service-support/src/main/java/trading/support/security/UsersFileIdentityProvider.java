package trading.support.security;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.schema.Texts;
import trading.schema.security.HttpUsers;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks HTTP Basic credentials against the users file named by {@code pipeline.http.users-file}
 * (written by {@code ./pipeline}, or mounted from a Secret): hashed passwords and roles, read once
 * at start. Without the setting, or without the file (an optional Secret not created yet), no one
 * can log in, so the control endpoints refuse everyone; a malformed file stops the service.
 * Failed logins are limited ({@link LoginThrottle}: {@code pipeline.http.max-failed-logins} per
 * {@code pipeline.http.failed-logins-window}, per user name and caller address).
 */
@ApplicationScoped
@Startup // a bad users file stops the service at start, not at the first halt
public class UsersFileIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(UsersFileIdentityProvider.class);

    private final HttpUsers users;
    private final LoginThrottle throttle;

    public UsersFileIdentityProvider(@ConfigProperty(name = "pipeline.http.users-file") Optional<Path> usersFile,
                                     @ConfigProperty(name = "pipeline.http.max-failed-logins", defaultValue = "5") int maxFailedLogins,
                                     @ConfigProperty(name = "pipeline.http.failed-logins-window", defaultValue = "PT1M") Duration window) {
        this.throttle = new LoginThrottle(maxFailedLogins, window, Clock.systemUTC());
        if (usersFile.isPresent() && java.nio.file.Files.exists(usersFile.get())) {
            this.users = HttpUsers.read(usersFile.get());
            LOG.infof("HTTP users from %s: %s", usersFile.get(), users.names());
        } else if (usersFile.isPresent()) {
            this.users = HttpUsers.none();
            LOG.warnf("%s does not exist: no one can log in, so no one can halt or resume trading", usersFile.get());
        } else {
            this.users = HttpUsers.none();
            LOG.warn("pipeline.http.users-file is not set: no one can log in, so no one can halt or resume trading");
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        // failures count per name and caller's address: guesses from one place are stopped there,
        // and cannot lock the risk user out of the kill switch everywhere
        io.vertx.ext.web.RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String caller = http == null || http.request().remoteAddress() == null ? "?" : http.request().remoteAddress().hostAddress();
        // PBKDF2 takes milliseconds on purpose: off the event loop
        return context.runBlocking(() -> {
            String name = request.getUsername();
            String key = name + "@" + caller;
            Optional<Duration> wait = throttle.waitFor(key);
            if (wait.isPresent()) {
                throw new AuthenticationFailedException("too many failed logins as '" + Texts.clip(name, 40) + "': try again in "
                        + Math.max(1, wait.get().toSeconds()) + " s");
            }
            // the same work for a name that does not exist: the time of a refusal tells nothing
            HttpUsers.User user = users.login(name, request.getPassword().getPassword()).orElse(null);
            if (user == null) {
                throttle.failed(key);
                throw new AuthenticationFailedException("wrong user name or password");
            }
            throttle.succeeded(key);
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(user.name()))
                    .addRoles(user.roles())
                    .build();
        });
    }
}
