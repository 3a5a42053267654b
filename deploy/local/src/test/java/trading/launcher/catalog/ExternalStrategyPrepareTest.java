package trading.launcher.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A module's {@code prepare}: what it says is passed on, and a failure is its last line. */
class ExternalStrategyPrepareTest {

    @Test
    void aModuleWithoutPrepareIsReady(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("strategy-none"));
        assertEquals(Optional.empty(), ExternalStrategy.prepare(home, "strategy-none", line -> { }));
    }

    @Test
    void aPrepareThatSucceedsIsReadyAndItsLinesArePassedOn(@TempDir Path home) throws IOException {
        module(home, "strategy-ok", "echo 'building once...'\necho done\nexit 0\n");
        List<String> said = new ArrayList<>();
        assertEquals(Optional.empty(), ExternalStrategy.prepare(home, "strategy-ok", said::add));
        assertEquals(List.of("building once...", "done"), said);
    }

    @Test
    void aPrepareThatFailsGivesItsLastLineAsTheReason(@TempDir Path home) throws IOException {
        module(home, "strategy-bad", "echo checking\necho 'strategy-bad: needs the Debian packages python3-avro' >&2\n\nexit 1\n");
        assertEquals(Optional.of("strategy-bad: needs the Debian packages python3-avro"),
                ExternalStrategy.prepare(home, "strategy-bad", line -> { }));
    }

    @Test
    void aPrepareThatFailsSilentlySaysWhichFailed(@TempDir Path home) throws IOException {
        module(home, "strategy-mute", "exit 3\n");
        assertEquals(Optional.of("strategy-mute/prepare failed (exit 3)"), ExternalStrategy.prepare(home, "strategy-mute", line -> { }));
    }

    private static void module(Path home, String name, String script) throws IOException {
        Path prepare = Files.createDirectories(home.resolve(name)).resolve(ExternalStrategy.PREPARE);
        Files.writeString(prepare, "#!/bin/sh\n" + script);
        prepare.toFile().setExecutable(true);
    }
}
