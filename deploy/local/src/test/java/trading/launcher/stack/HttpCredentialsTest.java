package trading.launcher.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.launcher.stack.StackConfig.Service;
import trading.schema.security.HttpUsers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpCredentialsTest {

    private static final Path HOME = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();
    private static final java.util.List<Service> SERVICES =
            new StackConfig(HOME, HOME.resolve("target/none"), false, 0, 1, 1, 1, java.util.List.of(), java.util.Map.of()).services();

    @Test
    void generatedOnceReadableByTheOwnerOnlyAndNeverPrinted(@TempDir Path runDir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        HttpCredentials first = HttpCredentials.ensure(runDir, new PrintStream(printed, true, StandardCharsets.UTF_8), SERVICES);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains(first.credentialsFile().toString()), "where the passwords are is printed when generated: " + output);
        assertFalse(output.contains(first.risk().password()) || output.contains(first.viewer().password()),
                "no password in the output (scrollback, CI logs): " + output);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.credentialsFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.usersFile())));
        assertFalse(Files.readString(first.usersFile()).contains(first.risk().password()), "the services' file holds no password");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        HttpCredentials second = HttpCredentials.ensure(runDir, new PrintStream(again, true, StandardCharsets.UTF_8), SERVICES);
        assertEquals(first, second);
        assertEquals("", again.toString(StandardCharsets.UTF_8), "printed once, not on every start");

        HttpUsers users = HttpUsers.read(first.usersFile());
        assertTrue(users.find("risk").verify(first.risk().password().toCharArray()));
        assertEquals(Set.of("risk"), users.find("risk").roles());
        assertTrue(users.find("viewer").verify(first.viewer().password().toCharArray()));
        assertFalse(users.find("viewer").roles().contains("risk"));
        assertEquals(SERVICES.size(), new HashSet<>(first.peerSecrets().values()).size(),
                "each service has a secret of its own");
    }

    @Test
    void aDamagedFileSaysHowToStartOver(@TempDir Path runDir) throws Exception {
        HttpCredentials credentials = HttpCredentials.ensure(runDir, new PrintStream(new ByteArrayOutputStream()), SERVICES);
        Files.writeString(credentials.credentialsFile(), "risk.user=risk\n");
        StackException e = assertThrows(StackException.class, () -> HttpCredentials.ensure(runDir, System.out, SERVICES));
        assertTrue(e.getMessage().contains("delete " + credentials.dir()), e.getMessage());
    }
}
