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
