package trading.support.security;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.schema.security.HttpUsers;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks HTTP Basic credentials against the users file named by {@code pipeline.http.users-file}
 * (written by {@code ./pipeline}, or mounted from a Secret): hashed passwords and roles, read once
 * at start. Without the setting, or without the file (an optional Secret not created yet), no one
 * can log in, so the control endpoints refuse everyone; a malformed file stops the service.
 */
@ApplicationScoped
@Startup // a bad users file stops the service at start, not at the first halt
public class UsersFileIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(UsersFileIdentityProvider.class);

    private final HttpUsers users;

    public UsersFileIdentityProvider(@ConfigProperty(name = "pipeline.http.users-file") Optional<Path> usersFile) {
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
        // PBKDF2 takes milliseconds on purpose: off the event loop
        return context.runBlocking(() -> {
            HttpUsers.User user = users.find(request.getUsername());
            if (user == null || !user.verify(request.getPassword().getPassword())) {
                throw new AuthenticationFailedException("wrong user name or password");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(user.name()))
                    .addRoles(user.roles())
                    .build();
        });
    }
}
