package trading.launcher.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.launcher.stack.StackConfig.Service;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposeSecretsTest {

    private static final Path HOME = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();
    private static final List<Service> SERVICES =
            new StackConfig(HOME, HOME.resolve("target/none"), false, 0, 1, 1, 1, List.of(), java.util.Map.of()).services();

    @Test
    void madeOnceOwnerOnlyKeptAfterAndNeverPrinted(@TempDir Path home) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ComposeSecrets.Made made = ComposeSecrets.ensure(home, SERVICES, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String environment = Files.readString(made.environment());
        for (String name : ComposeSecrets.PASSWORDS) {
            assertTrue(environment.lines().anyMatch(line -> line.matches(name + "=\\S{16,}")), name + " in " + environment);
        }
        assertEquals(home.resolve(".env"), made.environment(), "compose reads .env beside docker-compose.yml");
        assertEquals(home.resolve("deploy/compose/security/http-users"), made.credentials().usersFile(),
                "where docker-compose.yml's secrets: finds the users file");
        for (Path file : List.of(made.environment(), made.credentials().credentialsFile())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.credentials().usersFile())),
                "the images' user (185) reads the mounted users file; it holds hashes only");
        String output = printed.toString(StandardCharsets.UTF_8);
        for (String line : environment.lines().filter(l -> l.contains("=")).toList()) {
            assertFalse(output.contains(line.substring(line.indexOf('=') + 1)), "a password in the output: " + output);
        }
        assertFalse(output.contains(made.credentials().risk().password()), output);

        ComposeSecrets.ensure(home, SERVICES, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(environment, Files.readString(made.environment()), "a second run keeps the passwords");
    }
}
