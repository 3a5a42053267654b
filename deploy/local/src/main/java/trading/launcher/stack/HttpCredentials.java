package trading.launcher.stack;

import trading.launcher.stack.StackConfig.Service;
import trading.schema.security.HttpUsers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The HTTP logins and peer secrets of a local stack, generated on first use and kept in
 * {@code <run dir>/security/} across fresh starts (a fresh {@code up} removes everything else):
 * {@code credentials.properties} (readable by you alone) holds the passwords, {@code http-users}
 * only their hashes and is what the services read. Delete the folder to rotate them all.
 *
 * @param risk        may halt and resume trading (role {@code risk})
 * @param viewer      may only read (role {@code viewer}); for reads that require a login
 * @param peerSecrets per service name, the secret its instances show each other (made on first use for a
 *                    service the file does not know yet, e.g. a strategy added to the catalog)
 */
public record HttpCredentials(Path dir, Login risk, Login viewer, Map<String, String> peerSecrets) {

    public static final String FOLDER = "security";

    /** A user name and its password. */
    public record Login(String user, String password) {
        /** For {@code curl -u}. */
        @Override
        public String toString() {
            return user + ":" + password;
        }

        /** The value of an HTTP {@code Authorization} header that logs in as this user (Basic). */
        public String authorization() {
            return "Basic " + java.util.Base64.getEncoder().encodeToString(toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The secret {@code service}'s instances show each other. */
    public String peerSecret(Service service) {
        String secret = peerSecrets.get(service.name());
        if (secret == null) {
            throw new StackException("no peer secret for " + service.name() + " in " + credentialsFile());
        }
        return secret;
    }

    public Path usersFile() {
        return dir.resolve("http-users");
    }

    public Path credentialsFile() {
        return dir.resolve("credentials.properties");
    }

    /** The stack's credentials, generated (and printed once) when {@code runDir} has none yet. */
    public static HttpCredentials ensure(Path runDir, PrintStream out, List<Service> services) {
        Path dir = runDir.resolve(FOLDER);
        Path file = dir.resolve("credentials.properties");
        try {
            if (!Files.exists(file)) {
                HttpCredentials generated = generate(dir, services);
                // The passwords stay in the file (readable by its owner alone): never in the output,
                // which ends up in terminals' scrollback, CI logs and screenshots.
                out.println("Generated the HTTP logins of this stack (users " + generated.risk().user() + ", who may halt and resume"
                        + " trading, and " + generated.viewer().user() + ", who may read); their passwords are in "
                        + generated.credentialsFile() + " (delete the folder to rotate them)");
                return generated;
            }
            return read(dir, file, services);
        } catch (IOException e) {
            throw new StackException("cannot prepare the HTTP credentials in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static HttpCredentials generate(Path dir, List<Service> services) throws IOException {
        SecureRandom random = new SecureRandom();
        Login risk = new Login("risk", HttpUsers.randomSecret(random, 18));
        Login viewer = new Login("viewer", HttpUsers.randomSecret(random, 18));
        Map<String, String> peers = new LinkedHashMap<>();
        for (Service service : services) {
            peers.put(service.name(), HttpUsers.randomSecret(random, 24));
        }
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.setProperty("risk.user", risk.user());
        properties.setProperty("risk.password", risk.password());
        properties.setProperty("viewer.user", viewer.user());
        properties.setProperty("viewer.password", viewer.password());
        peers.forEach((service, secret) -> properties.setProperty("peer." + service, secret));
        HttpCredentials credentials = new HttpCredentials(dir, risk, viewer, peers);
        PrivateFiles.write(credentials.credentialsFile(), out -> properties.store(out,
                "HTTP logins and peer secrets of this local stack (./pipeline); delete the folder to rotate"));
        List<String> users = List.of(
                "# name:roles:iterations:salt:hash (PBKDF2-HMAC-SHA256), written by ./pipeline from credentials.properties",
                HttpUsers.line(risk.user(), Set.of("risk"), risk.password().toCharArray(), random),
                HttpUsers.line(viewer.user(), Set.of("viewer"), viewer.password().toCharArray(), random));
        PrivateFiles.write(credentials.usersFile(), out -> out.write(String.join("\n", users) + "\n"));
        return credentials;
    }

    private static HttpCredentials read(Path dir, Path file, List<Service> services) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, String> peers = new LinkedHashMap<>();
        boolean added = false;
        for (Service service : services) {
            String key = "peer." + service.name();
            if (properties.getProperty(key, "").isBlank()) {
                // a service newer than the file (e.g. the dashboard): give it a secret, keep the rest
                properties.setProperty(key, HttpUsers.randomSecret(new SecureRandom(), 24));
                added = true;
            }
            peers.put(service.name(), properties.getProperty(key));
        }
        if (added) {
            PrivateFiles.write(file, out -> properties.store(out, "HTTP logins and peer secrets of ./pipeline's stack"));
        }
        HttpCredentials credentials = new HttpCredentials(dir,
                new Login(required(properties, "risk.user", file), required(properties, "risk.password", file)),
                new Login(required(properties, "viewer.user", file), required(properties, "viewer.password", file)), peers);
        if (!Files.exists(credentials.usersFile())) {
            throw new StackException(credentials.usersFile() + " is missing: delete " + dir + " to generate new credentials");
        }
        return credentials;
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new StackException(file + " has no " + key + ": delete " + file.getParent() + " to generate new credentials");
        }
        return value;
    }
}
