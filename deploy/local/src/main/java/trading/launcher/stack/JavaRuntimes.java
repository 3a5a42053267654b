package trading.launcher.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a Java runtime of at least a given version: Apicurio Registry 3 needs Java 21+, while the
 * services run on the launcher's own Java (17+). Looks at {@code PIPELINE_JAVA21_HOME}, then
 * {@code JAVA21_HOME}, {@code JAVA_HOME}, the launcher's own Java, and the JDKs under
 * {@code /usr/lib/jvm} and {@code /opt/java}.
 */
public final class JavaRuntimes {

    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private JavaRuntimes() {
    }

    /** The launcher's own java executable. */
    static Path current() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path atLeast(int major) {
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("PIPELINE_JAVA21_HOME", "JAVA21_HOME", "JAVA_HOME")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                candidates.add(Path.of(value));
            }
        }
        candidates.add(Path.of(System.getProperty("java.home")));
        for (String root : List.of("/usr/lib/jvm", "/opt/java")) {
            try (DirectoryStream<Path> jdks = Files.newDirectoryStream(Path.of(root))) {
                jdks.forEach(candidates::add);
            } catch (IOException e) {
                // no such folder on this machine
            }
        }
        for (Path home : candidates) {
            Optional<Integer> version = version(home);
            if (version.isPresent() && version.get() >= major && Files.isExecutable(home.resolve("bin/java"))) {
                return home.resolve("bin/java");
            }
        }
        throw new StackException("Apicurio Registry needs Java " + major + " or newer, and none was found "
                + "(looked at PIPELINE_JAVA21_HOME, JAVA21_HOME, JAVA_HOME and /usr/lib/jvm). "
                + "Install one and point PIPELINE_JAVA21_HOME at it.");
    }

    static Optional<Integer> version(Path home) {
        try {
            Matcher matcher = VERSION.matcher(Files.readString(home.resolve("release")));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
