package trading.launcher.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process's wall clock set off the machine's, as on a host whose clock is wrong: libfaketime
 * (Debian's package {@code faketime}) preloaded, with the monotonic clock left true, since a
 * wrong host clock does not make timeouts and timers run fast or slow. Only that process's reading
 * of the time changes; the machine's clock is not touched.
 */
public final class FakeClock {

    private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu/faketime",
            "/usr/lib/aarch64-linux-gnu/faketime", "/usr/lib/faketime", "/usr/local/lib/faketime");

    private FakeClock() {
    }

    /** libfaketime's build for multi-threaded programs, where it is installed. */
    public static Optional<Path> library() {
        return LIBRARY_DIRS.stream().map(dir -> Path.of(dir, "libfaketimeMT.so.1")).filter(Files::isReadable).findFirst();
    }

    /** Why a clock cannot be set off here, or empty when it can. */
    public static Optional<String> unavailable() {
        return library().isPresent() ? Optional.empty()
                : Optional.of("libfaketime is not installed (Debian's package faketime)");
    }

    /** The environment that starts a process with its clock {@code offset} off the machine's. */
    static Map<String, String> environment(Duration offset) {
        Path library = library().orElseThrow(() -> new StackException("cannot set a clock off: " + unavailable().orElseThrow()));
        return Map.of("LD_PRELOAD", library.toString(),
                "FAKETIME", String.format("%+ds", offset.toSeconds()),
                "FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
}
