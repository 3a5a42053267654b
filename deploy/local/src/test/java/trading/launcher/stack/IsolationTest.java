package trading.launcher.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The means of chaos's network and disk faults, on this machine's real iptables, control groups and
 * tmpfs: a cut stops one process's connections and no other's, healing restores them, and a disk of
 * its own fills up without touching the machine's. It needs root and cgroup v2, as CI has; where they
 * are missing it fails and says which.
 */
class IsolationTest {

    private static final int PORT_OFFSET = 7_613; // a chain and group of its own: no stack uses this offset

    @TempDir
    Path runDir;

    private Isolation isolation;
    private ServerSocket listener;

    @BeforeEach
    void start() throws IOException {
        Isolation.unavailable().ifPresent(why -> {
            throw new AssertionError("chaos's network faults need this machine's iptables and cgroup v2: " + why);
        });
        isolation = Isolation.create(PORT_OFFSET, runDir);
        listener = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket ignored = listener.accept()) {
                    // a connection that got through: nothing to say
                } catch (IOException closed) {
                    return;
                }
            }
        }, "isolation-test-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        isolation.close();
    }

    @Test
    void aCutStopsOnlyItsOwnProcessAndHealingRestoresIt() throws Exception {
        int port = listener.getLocalPort();
        assertEquals(0, exitCode(isolation.wrap("probe", probe(port))), "before the cut the probe connects");

        Isolation.Cut cut = isolation.cut("probe", List.of(port));
        assertNotEquals(0, exitCode(isolation.wrap("probe", probe(port))), "the cut probe must not connect: " + cut);
        assertEquals(0, exitCode(isolation.wrap("bystander", probe(port))), "another group still connects");
        assertEquals(0, exitCode(probe(port)), "a process outside the stack still connects");

        isolation.heal(cut);
        assertEquals(0, exitCode(isolation.wrap("probe", probe(port))), "after healing the probe connects again");
    }

    @Test
    void aProcessNotStartedInTheStacksGroupsCannotBeCut() {
        StackException refused = assertThrows(StackException.class, () -> isolation.cut("stranger", List.of(1)));
        assertTrue(refused.getMessage().contains("stranger"), refused.getMessage());
    }

    @Test
    void closeRemovesTheChainAndTheGroups() throws Exception {
        isolation.wrap("probe", probe(listener.getLocalPort()));
        isolation.cut("probe", List.of(listener.getLocalPort()));
        String chain = "PIPELINE" + PORT_OFFSET;
        assertEquals(0, exitCode(List.of("iptables", "-w", "5", "-S", chain)), "the chain exists while in use");

        isolation.close();

        assertNotEquals(0, exitCode(List.of("iptables", "-w", "5", "-S", chain)), "the chain is gone");
        assertFalse(Files.exists(Isolation.cgroup2Root().orElseThrow().resolve("pipeline" + PORT_OFFSET)), "the groups are gone");
    }

    @Test
    void aDiskOfItsOwnFillsUpAndGoesAway() throws Exception {
        long size = 4L << 20;
        isolation.ownDisk("kafka", size);
        Path data = runDir.resolve("kafka/data");
        isolation.mountDisk("kafka", data);
        assertTrue(mounted().contains(data), "a tmpfs is mounted on " + data);

        Path filler = Isolation.fill(data);
        assertTrue(Files.size(filler) > size / 2 && Files.size(filler) <= size, "filled up to its size: " + Files.size(filler));
        assertThrows(IOException.class, () -> Files.write(data.resolve("one-more"), new byte[64 << 10]), "a full disk refuses a write");

        isolation.close();
        assertFalse(mounted().contains(data), "close unmounts it");
    }

    /** A shell that connects to {@code port} on loopback, giving up after two seconds (a cut drops the handshake). */
    private static List<String> probe(int port) {
        return List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port);
    }

    private static int exitCode(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "finished: " + command);
        return process.exitValue();
    }

    private static Set<Path> mounted() throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 2) {
                mounts.add(Path.of(fields[1]));
            }
        }
        return Set.copyOf(mounts);
    }
}
