package trading.launcher.stack;

import trading.launcher.stack.StackConfig.Service;
import trading.schema.security.HttpUsers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets docker-compose.yml needs and has no default for: {@code .env} beside it (compose
 * reads it) with the Kafbat UI and Grafana admin passwords, and {@code deploy/compose/security/}
 * with the services' users file and the risk and viewer passwords ({@link HttpCredentials}).
 * Made once, kept after: a second call adds only what is missing. Every file is 0600 but the users
 * file, which holds only hashes and must be readable by the images' user.
 */
public final class ComposeSecrets {

    /** Where the services' logins are kept, as docker-compose.yml's {@code secrets:} names them. */
    public static final String SECURITY_PARENT = "deploy/compose";
    /** The variables compose refuses to start without ({@code ${NAME:?...}} in docker-compose.yml). */
    public static final List<String> PASSWORDS = List.of("KAFKA_UI_PASSWORD", "GRAFANA_ADMIN_PASSWORD");

    /** What was made (or found). */
    public record Made(Path environment, HttpCredentials credentials) {
    }

    private ComposeSecrets() {
    }

    public static Made ensure(Path home, List<Service> services, PrintStream out) {
        HttpCredentials credentials = HttpCredentials.ensure(home.resolve(SECURITY_PARENT), out, services);
        try {
            // compose mounts a file secret as it is on the host, and the images run as user 185:
            // the users file (PBKDF2 hashes, no password) must be readable by it, as a Kubernetes
            // Secret's files are; the passwords stay in credentials.properties, the owner's alone
            Files.setPosixFilePermissions(credentials.usersFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new StackException("cannot let the services' user read " + credentials.usersFile() + ": " + e.getMessage());
        }
        Path environment = home.resolve(".env");
        try {
            List<String> lines = Files.exists(environment) ? new ArrayList<>(Files.readAllLines(environment, StandardCharsets.UTF_8))
                    : new ArrayList<>(List.of("# secrets of docker-compose.yml, made by ./pipeline compose-secrets; keep them out of git"));
            SecureRandom random = new SecureRandom();
            List<String> added = new ArrayList<>();
            for (String name : PASSWORDS) {
                if (lines.stream().noneMatch(line -> line.startsWith(name + "="))) {
                    lines.add(name + "=" + HttpUsers.randomSecret(random, 18));
                    added.add(name);
                }
            }
            if (!added.isEmpty() || !Files.exists(environment)) {
                PrivateFiles.write(environment, writer -> writer.write(String.join("\n", lines) + "\n"));
                out.println("Wrote " + String.join(", ", added) + " to " + environment);
            }
        } catch (IOException e) {
            throw new StackException("cannot write " + environment + ": " + e.getMessage(), e);
        }
        return new Made(environment, credentials);
    }
}
