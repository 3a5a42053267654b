package trading.launcher.stack;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that hold secrets: created readable and writable by their owner alone, before anything is written. */
public final class PrivateFiles {

    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    private PrivateFiles() {
    }

    /**
     * A directory only its owner may enter (0700), made if missing and narrowed if it exists: the
     * stack's data (the broker's log, the registry, the strategies' state, the secrets) is
     * nobody else's business on a shared machine.
     */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to narrow
        }
        return dir;
    }

    /**
     * A Java argument file ({@code java @file}) holding {@code arguments}, readable by its owner
     * alone: what is in it is not on the process's command line, which {@code ps} shows anyone.
     */
    public static Path javaArgumentFile(Path file, java.util.List<String> arguments) throws IOException {
        write(file, out -> {
            for (String argument : arguments) {
                out.write('"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
            }
        });
        return file;
    }

    public static void write(Path file, Content content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            content.writeTo(out);
        }
    }
}
