package trading.launcher.stack;

import trading.launcher.stack.HttpCredentials.Login;
import trading.schema.security.HttpUsers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ./pipeline up --secure} needs to lock Kafka, generated on first use and kept in
 * {@code <run dir>/security/kafka/} across fresh starts: a certificate authority of this machine
 * ({@code ca.p12}, its certificate {@code ca.crt} is what clients trust), the broker's key and
 * certificate for {@code localhost} signed by it ({@code broker.p12}), and the SCRAM passwords of
 * the launcher's super user {@code admin} and of one user per service ({@code passwords.properties}).
 * Every file is readable by its owner alone. Delete the folder to rotate everything (then start
 * without {@code --resume}: the broker's data holds the old admin credentials).
 */
public record KafkaCredentials(Path dir, String keystorePassword, Login admin, Map<String, String> userPasswords) {

    private static final String PASSWORD_VARIABLE = "PIPELINE_KEYSTORE_PASSWORD";
    static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN = "admin";
    /** The name in the broker's certificate, whose principal ({@code User:CN=localhost}) the controller listener trusts. */
    static final String BROKER_PRINCIPAL = "User:CN=localhost";

    Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    /** What a Kafka client needs to log in as {@code user} over TLS, trusting this stack's CA. */
    public Map<String, Object> clientProperties(String user) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", jaas(user, password(user)));
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", caCertificate().toAbsolutePath().toString());
        return properties;
    }

    /** The same for a service, as the environment variables its configuration reads (never its command line). */
    Map<String, String> serviceEnvironment(String user) {
        Map<String, String> env = new LinkedHashMap<>();
        clientProperties(user).forEach((key, value) ->
                env.put("KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value.toString()));
        return env;
    }

    String password(String user) {
        if (user.equals(ADMIN)) {
            return admin.password();
        }
        String password = userPasswords.get(user);
        if (password == null) {
            throw new StackException("no Kafka user " + user + " in " + dir.resolve("passwords.properties")
                    + "; known: " + userPasswords.keySet());
        }
        return password;
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The stack's Kafka credentials, generating what is missing (a password for each of {@code users}). */
    static KafkaCredentials ensure(Path runDir, Collection<String> users, PrintStream out) {
        Path dir = runDir.resolve(HttpCredentials.FOLDER).resolve("kafka");
        Path file = dir.resolve("passwords.properties");
        SecureRandom random = new SecureRandom();
        try {
            Files.createDirectories(dir);
            Properties properties = new Properties();
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(in);
                }
            }
            boolean changed = false;
            for (String key : withAdmin(users)) {
                if (properties.getProperty(key, "").isBlank()) {
                    properties.setProperty(key, HttpUsers.randomSecret(random, 24));
                    changed = true;
                }
            }
            if (properties.getProperty("keystore", "").isBlank()) {
                properties.setProperty("keystore", HttpUsers.randomSecret(random, 24));
                changed = true;
            }
            if (changed) {
                PrivateFiles.write(file, w -> properties.store(w,
                        "SCRAM passwords of this local stack's Kafka users (./pipeline up --secure); delete the folder to rotate"));
            }
            Map<String, String> passwords = new LinkedHashMap<>();
            for (String user : users) {
                passwords.put(user, properties.getProperty(user));
            }
            KafkaCredentials credentials = new KafkaCredentials(dir, properties.getProperty("keystore"),
                    new Login(ADMIN, properties.getProperty(ADMIN)), passwords);
            if (!Files.exists(credentials.caCertificate()) || !Files.exists(credentials.brokerKeystore())) {
                credentials.generateCertificates();
                out.println("Generated a certificate authority for this machine's Kafka in " + dir
                        + " (clients trust ca.crt; delete the folder to rotate it and every Kafka password)");
            }
            return credentials;
        } catch (IOException e) {
            throw new StackException("cannot prepare the Kafka credentials in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The credentials a secure stack already has (for clients of a running stack). */
    public static KafkaCredentials existing(Path runDir) {
        Path dir = runDir.resolve(HttpCredentials.FOLDER).resolve("kafka");
        Path file = dir.resolve("passwords.properties");
        if (!Files.exists(file)) {
            throw new StackException("no Kafka credentials in " + dir + ": start the stack with ./pipeline up --secure");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().filter(k -> !k.equals(ADMIN) && !k.equals("keystore"))
                .sorted().forEach(k -> passwords.put(k, properties.getProperty(k)));
        return new KafkaCredentials(dir, properties.getProperty("keystore"), new Login(ADMIN, properties.getProperty(ADMIN)),
                passwords);
    }

    private static List<String> withAdmin(Collection<String> users) {
        List<String> all = new ArrayList<>(users);
        all.add(ADMIN);
        return all;
    }

    /**
     * A CA and the broker's certificate, with the JDK's own keytool: no library needed, and the
     * keys never leave this folder. The broker's certificate names localhost and 127.0.0.1, so
     * clients verify the host as they would in production.
     */
    private void generateCertificates() throws IOException {
        Path ca = dir.resolve("ca.p12");
        Path request = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.crt");
        for (Path old : List.of(ca, caCertificate(), brokerKeystore(), request, signed)) {
            Files.deleteIfExists(old);
        }
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=trading-pipeline local CA", "-ext", "bc:c",
                "-storetype", "PKCS12", "-keystore", ca.toString(), "-storepass:env", PASSWORD_VARIABLE);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass:env", PASSWORD_VARIABLE,
                "-file", caCertificate().toString());
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "825",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", brokerKeystore().toString(), "-storepass:env", PASSWORD_VARIABLE);
        keytool("-certreq", "-alias", "broker", "-keystore", brokerKeystore().toString(), "-storepass:env", PASSWORD_VARIABLE,
                "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass:env", PASSWORD_VARIABLE, "-rfc", "-validity", "825",
                "-infile", request.toString(), "-outfile", signed.toString(),
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "KU=digitalSignature,keyEncipherment",
                "-ext", "EKU=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate().toString(),
                "-keystore", brokerKeystore().toString(), "-storepass:env", PASSWORD_VARIABLE);
        keytool("-importcert", "-alias", "broker", "-file", signed.toString(),
                "-keystore", brokerKeystore().toString(), "-storepass:env", PASSWORD_VARIABLE);
        Files.delete(request);
        Files.delete(signed);
        for (Path file : List.of(ca, caCertificate(), brokerKeystore())) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JavaRuntimes.current().resolveSibling("keytool").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, keystorePassword); // not on a command line others can list
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new StackException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
