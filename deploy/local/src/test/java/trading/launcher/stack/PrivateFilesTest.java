package trading.launcher.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    void theAdminPasswordIsNotOnTheFormattingCommandLine() throws Exception {
        String password = "s3cret-" + System.nanoTime();
        Path arguments = dir.resolve("format.args");
        List<String> command = Stack.formatCommand("/opt/kafka/libs/*", "cluster-1", dir.resolve("server.properties"), arguments, password);
        assertFalse(String.join(" ", command).contains(password), "ps shows the command line to anyone: " + command);
        assertTrue(Files.readString(arguments).contains("password=" + password), "the password is in the argument file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(arguments)));
    }

    @Test
    void theJavaLauncherReadsTheArgumentsBackExactly() throws Exception {
        List<String> expected = List.of("plain", "with space", "quote\"d", "back\\slash", "SCRAM-SHA-512=[name=admin,password=a+b/c=]");
        List<String> arguments = new java.util.ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), PrintArguments.class.getName()));
        arguments.addAll(expected);
        Path file = PrivateFiles.javaArgumentFile(dir.resolve("echo.args"), arguments);
        Process java = new ProcessBuilder(JavaRuntimes.current().toString(), "@" + file).redirectErrorStream(true).start();
        String printed = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "java ends");
        assertEquals(String.join("\n", expected) + "\n", printed);
    }

    @Test
    void aDataDirectoryIsTheOwnersAloneEvenIfItExisted() throws IOException {
        Path existing = Files.createDirectories(dir.resolve("kafka-0"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.directory(existing);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(PrivateFiles.directory(dir.resolve("a/b")))));
    }

    /** Prints its arguments, one per line: what the Java launcher made of an argument file. */
    public static final class PrintArguments {
        public static void main(String[] args) {
            for (String arg : args) {
                System.out.println(arg);
            }
        }
    }
}
