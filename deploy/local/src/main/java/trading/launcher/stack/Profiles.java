package trading.launcher.stack;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * Java Flight Recorder for {@code ./pipeline bench --profile DIR}: the services record from start
 * to stop (one file per process, named by its pid), the bench records its in-process throughput
 * runs. The "profile" settings: CPU samples every 10 ms, allocation samples, locks.
 */
public final class Profiles {

    private Profiles() {
    }

    /** The JVM option that makes a service record into {@code dir} until it stops. */
    public static String serviceOption(Path dir) {
        createDirectory(dir);
        return "-XX:StartFlightRecording=filename=" + dir.toAbsolutePath() + "/,settings=profile,dumponexit=true";
    }

    /** A recording of this process, written to {@code dir/name.jfr} on close; nothing when {@code dir} is null. */
    public static InProcess inProcess(Path dir, String name) {
        if (dir == null) {
            return new InProcess(null, null);
        }
        createDirectory(dir);
        try {
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setName(name);
            recording.start();
            return new InProcess(recording, dir.resolve(name + ".jfr"));
        } catch (IOException | ParseException e) {
            throw new StackException("cannot start a flight recording: " + e.getMessage(), e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StackException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A running recording of this process. */
    public record InProcess(Recording recording, Path file) implements AutoCloseable {
        @Override
        public void close() {
            if (recording == null) {
                return;
            }
            try (recording) {
                recording.stop();
                recording.dump(file);
            } catch (IOException e) {
                throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
