package trading.schema.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpUsersTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aWrittenUserLogsInWithItsPasswordOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("http-users");
        Files.writeString(file, "# comment\n\n"
                + HttpUsers.line("risk", Set.of("risk"), "s3cret".toCharArray(), random) + "\n"
                + HttpUsers.line("viewer", Set.of("viewer"), "other".toCharArray(), random) + "\n");

        HttpUsers users = HttpUsers.read(file);

        assertEquals(Set.of("risk", "viewer"), users.names());
        assertTrue(users.find("risk").verify("s3cret".toCharArray()));
        assertFalse(users.find("risk").verify("other".toCharArray()));
        assertFalse(users.find("risk").verify("".toCharArray()));
        assertEquals(Set.of("risk"), users.find("risk").roles());
        assertNull(users.find("nobody"));
    }

    @Test
    void anUnknownNameCostsTheDerivationAKnownOneDoes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("http-users");
        Files.writeString(file, HttpUsers.line("risk", Set.of("risk"), "s3cret".toCharArray(), random) + "\n");
        HttpUsers users = HttpUsers.read(file);

        assertEquals("risk", users.login("risk", "s3cret".toCharArray()).orElseThrow().name());
        for (String[] attempt : new String[][]{{"risk", "wrong"}, {"nobody", "wrong"}, {"", ""}, {"nobody", "s3cret"}}) {
            long before = HttpUsers.derivations();
            assertTrue(users.login(attempt[0], attempt[1].toCharArray()).isEmpty(), String.join("/", attempt));
            assertEquals(1, HttpUsers.derivations() - before, "one PBKDF2 derivation for " + String.join("/", attempt));
        }
    }

    @Test
    void theSamePasswordHashesDifferentlyForEachLine() {
        assertFalse(HttpUsers.line("a", Set.of("risk"), "pw".toCharArray(), random)
                .equals(HttpUsers.line("a", Set.of("risk"), "pw".toCharArray(), random)));
    }

    @Test
    void aMalformedLineStopsWithTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("http-users");
        String good = HttpUsers.line("risk", Set.of("risk"), "pw".toCharArray(), random);
        for (String bad : new String[] {"risk=plain", good.replace(":20000:", ":ten:"), good.replace(":20000:", ":10:"),
                good.replaceFirst("risk:", "r k:"), good.substring(0, good.length() - 4) + "!!!!", good + "\n" + good}) {
            Files.writeString(file, "# users\n" + bad + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpUsers.read(file), bad);
            assertTrue(e.getMessage().startsWith(file + " line "), e.getMessage());
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpUsers.read(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }
}
