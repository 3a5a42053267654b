package trading.launcher.catalog;

import trading.launcher.stack.StackException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./pipeline new-strategy NAME}: a working strategy module from the template in this
 * module's resources ({@code template/strategy/}): a rule to fill in (it starts as a channel
 * breakout), its {@link trading.strategy.RuleType}, a plain unit test and a topology test, and its
 * catalog entry {@code strategies/NAME.properties} on a free port; the module is added to the
 * build and the deployment files are generated again.
 */
public final class NewStrategy {

    private static final String TEMPLATE = "/template/strategy/";
    /** Ports the stack uses for other things (services, registry, replay feed, dashboard). */
    private static final Set<Integer> TAKEN = Set.of(8080, 8083, 8084, 8085, 8088, 8089, 8090);

    private NewStrategy() {
    }

    /** What was made: the module's folder, the catalog entry and every file written. */
    public record Made(Path module, Path entry, List<Path> files) {
    }

    public static Made create(Path home, String name) {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,23}") || name.endsWith("-")) {
            throw new StackException("a strategy's name is lower-case letters, digits and '-', starting with a letter, "
                    + "at most 24 characters; was '" + name + "'");
        }
        StrategyCatalog catalog = StrategyCatalog.load(home);
        if (catalog.find(name).isPresent()) {
            throw new StackException("the catalog already has a strategy " + name + " (" + catalog.get(name).file() + ")");
        }
        Path module = home.resolve("strategy-" + name);
        if (Files.exists(module)) {
            throw new StackException(module + " exists already");
        }
        String packageName = name.replace("-", "");
        StringBuilder camel = new StringBuilder();
        for (String part : name.split("-")) {
            camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String port = Integer.toString(freePort(catalog));

        List<Path> written = new ArrayList<>();
        Path entry = home.resolve(StrategyCatalog.FOLDER).resolve(name + ".properties");
        try {
            for (String file : resource("FILES").split("\n")) {
                if (file.isBlank()) {
                    continue;
                }
                String text = resource(file).replace("__name__", name).replace("__Camel__", camel)
                        .replace("__package__", packageName).replace("__port__", port);
                Path target = file.equals("catalog.properties") ? entry
                        : module.resolve(file.replace("__path__", "trading/strategy/" + packageName)
                                .replace("__Camel__", camel));
                Files.createDirectories(target.getParent());
                Files.writeString(target, text);
                written.add(target);
            }
            addModule(home.resolve("pom.xml"), "strategy-" + name);
        } catch (IOException e) {
            throw new StackException("cannot write the new strategy: " + e.getMessage(), e);
        }
        // the new entry is checked like any other, and deployed like any other
        StrategyCatalog updated = StrategyCatalog.load(home);
        updated.get(name);
        new Deployments(home, updated).write();
        return new Made(module, entry, written);
    }

    /** The first port from 8081 up that no strategy and no other part of the stack uses. */
    private static int freePort(StrategyCatalog catalog) {
        Set<Integer> used = new HashSet<>(TAKEN);
        catalog.entries().forEach(e -> used.add(e.httpPort()));
        int port = 8081;
        while (used.contains(port)) {
            port++;
        }
        return port;
    }

    /** Adds {@code <module>NAME</module>} after the last strategy module of the root pom (or the last module). */
    static void addModule(Path pom, String module) throws IOException {
        String text = Files.readString(pom);
        Matcher modules = Pattern.compile("(?m)^([ \\t]*)<module>([^<]+)</module>[ \\t]*$").matcher(text);
        int insertAt = -1;
        String indent = "    ";
        while (modules.find()) {
            if (insertAt < 0 || modules.group(2).startsWith("strategy-")) {
                insertAt = modules.end();
                indent = modules.group(1);
            }
        }
        if (insertAt < 0) {
            throw new StackException(pom + " has no <modules> to add " + module + " to");
        }
        Files.writeString(pom, text.substring(0, insertAt) + "\n" + indent + "<module>" + module + "</module>"
                + text.substring(insertAt));
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = NewStrategy.class.getResourceAsStream(TEMPLATE + file)) {
            if (in == null) {
                throw new StackException("the launcher lacks its template file " + TEMPLATE + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
