package trading.launcher.catalog;

import trading.launcher.stack.StackException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The strategies the pipeline runs: one file per strategy in {@code strategies/} (its name, the
 * module whose service runs it, its rule, parameters, quantity and HTTP port). Everything that
 * starts, resets, measures, checks or deploys strategies iterates over this list; a strategy is
 * named nowhere else.
 */
public final class StrategyCatalog {

    /** The catalog's folder, from the project's root. */
    public static final String FOLDER = "strategies";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,23}");
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final String PARAM = "strategy.param.";
    private static final Map<Path, StrategyCatalog> LOADED = new ConcurrentHashMap<>();

    private final List<Entry> entries;

    private StrategyCatalog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * One strategy.
     *
     * @param name       its name in orders and order ids; its group and application id are {@code trading-strategy.<name>}
     * @param module     the module whose packaged service runs it ({@code strategy-abc})
     * @param rule       the rule type's id, or null for the module's only one
     * @param parameters the rule's parameters as the file gives them (the rule's defaults fill the rest)
     * @param quantity   what each order trades
     * @param httpPort   where its first instance listens ({@code ./pipeline} adds 100 per instance)
     * @param file       the entry's file
     * @param runtime    {@link #JAVA} (the module's Quarkus service) or {@link #EXTERNAL} (any language: the
     *                   module's {@code run} script, see {@link ExternalStrategy})
     * @param processing {@link #PROCESSING_MODES idempotent or transactional} (a Java strategy's
     *                   {@code strategy.processing}, see docs/architecture.md), or null for the services' default
     */
    public record Entry(String name, String module, String rule, Map<String, String> parameters, String quantity,
                        int httpPort, Path file, String runtime, String processing) {

        public static final String JAVA = "java";
        public static final String EXTERNAL = "external";
        public static final List<String> PROCESSING_MODES = List.of("idempotent", "transactional");
        /** strategy.processing in strategy-support's microprofile-config.properties (StrategyCatalogTest checks it). */
        public static final String DEFAULT_PROCESSING = "idempotent";

        public Entry {
            parameters = Map.copyOf(parameters);
        }

        public String applicationId() {
            return "trading-strategy." + name;
        }

        /**
         * Whether it runs at-least-once and may send an order again (same id): a Java strategy whose
         * {@code strategy.processing} is idempotent, as the services' default is. An external
         * strategy writes with transactions (qrs does; see docs/any-language.md).
         */
        public boolean idempotent() {
            return !external() && (processing == null ? DEFAULT_PROCESSING : processing).equals("idempotent");
        }

        /** Whether its service is outside the JVM (run by its module's {@code run} script). */
        public boolean external() {
            return EXTERNAL.equals(runtime);
        }

        /** The service's name: its processes, Kafka user, images and Kubernetes objects are called this. */
        public String serviceName() {
            return "strategy-" + name;
        }

        /** The entry as the service's configuration: what ./pipeline passes and compose and Kubernetes set. */
        public Map<String, String> properties() {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("strategy.name", name);
            if (rule != null) {
                properties.put("strategy.rule", rule);
            }
            parameters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(p -> properties.put(PARAM + p.getKey(), p.getValue()));
            properties.put("strategy.quantity", quantity);
            properties.put("strategy.http-port", Integer.toString(httpPort));
            if (processing != null) {
                properties.put("strategy.processing", processing);
            }
            return properties;
        }

        /** {@link #properties()} as environment variables (strategy.param.fast: STRATEGY_PARAM_FAST). */
        public Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            properties().forEach((key, value) -> env.put(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"), value));
            return env;
        }

        /** The same strategy under another name (a backtest's variant: its orders carry that name). */
        public Entry named(String otherName) {
            return new Entry(otherName, module, rule, parameters, quantity, httpPort, file, runtime, processing);
        }

        /** The same strategy with some parameters changed (a backtest's {@code --param}). */
        public Entry withParameters(Map<String, String> changed) {
            Map<String, String> merged = new HashMap<>(parameters);
            merged.putAll(changed);
            return new Entry(name, module, rule, merged, quantity, httpPort, file, runtime, processing);
        }
    }

    /** The catalog of the project in {@code home}, read once per process. */
    public static StrategyCatalog of(Path home) {
        return LOADED.computeIfAbsent(home.toAbsolutePath().normalize(), StrategyCatalog::load);
    }

    /** Reads every {@code *.properties} file of {@code home/strategies}; a bad entry stops with a one-line reason. */
    public static StrategyCatalog load(Path home) {
        Path folder = home.resolve(FOLDER);
        if (!Files.isDirectory(folder)) {
            throw new StackException("no strategy catalog: " + folder + " is missing");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted().toList();
        } catch (IOException e) {
            throw new StackException("cannot read " + folder + ": " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            entries.add(read(home, file));
        }
        entries.sort(Comparator.comparing(Entry::name));
        check(entries, folder);
        return new StrategyCatalog(entries);
    }

    private static Entry read(Path home, Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new StackException(file + ": cannot read it: " + e.getMessage(), e);
        }
        String name = required(properties, "strategy.name", file);
        String fileName = file.getFileName().toString();
        if (!NAME.matcher(name).matches()) {
            throw new StackException(file + ": strategy.name must be lower-case letters, digits and '-', "
                    + "starting with a letter, at most 24 characters; was '" + name + "'");
        }
        if (!fileName.equals(name + ".properties")) {
            throw new StackException(file + ": the file of strategy " + name + " must be called " + name + ".properties");
        }
        String module = required(properties, "strategy.module", file);
        if (!MODULE.matcher(module).matches() || !Files.isDirectory(home.resolve(module))) {
            throw new StackException(file + ": strategy.module '" + module + "' is not a module of this project");
        }
        String rule = Optional.ofNullable(properties.getProperty("strategy.rule")).map(String::trim)
                .filter(r -> !r.isEmpty()).orElse(null);
        String quantity = properties.getProperty("strategy.quantity", "100").trim();
        try {
            if (new java.math.BigDecimal(quantity).signum() <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new StackException(file + ": strategy.quantity must be a positive number, was '" + quantity + "'");
        }
        int port;
        try {
            port = Integer.parseInt(required(properties, "strategy.http-port", file));
        } catch (NumberFormatException e) {
            throw new StackException(file + ": strategy.http-port must be a port number, was '"
                    + properties.getProperty("strategy.http-port") + "'");
        }
        if (port < 1024 || port > 65535 - 1000) {
            throw new StackException(file + ": strategy.http-port must be between 1024 and 64535, was " + port);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PARAM)) {
                parameters.put(key.substring(PARAM.length()), properties.getProperty(key).trim());
            } else if (!List.of("strategy.name", "strategy.module", "strategy.rule", "strategy.quantity",
                    "strategy.http-port", "strategy.runtime", "strategy.processing").contains(key)) {
                throw new StackException(file + ": unknown key '" + key + "' (a parameter is strategy.param.<name>)");
            }
        }
        String runtime = properties.getProperty("strategy.runtime", Entry.JAVA).trim();
        if (!List.of(Entry.JAVA, Entry.EXTERNAL).contains(runtime)) {
            throw new StackException(file + ": strategy.runtime must be " + Entry.JAVA + " or " + Entry.EXTERNAL
                    + ", was '" + runtime + "'");
        }
        if (runtime.equals(Entry.EXTERNAL) && !Files.isExecutable(home.resolve(module).resolve(ExternalStrategy.RUN))) {
            throw new StackException(file + ": an external strategy's module needs an executable "
                    + module + "/" + ExternalStrategy.RUN + " (see docs/any-language.md)");
        }
        String processing = Optional.ofNullable(properties.getProperty("strategy.processing")).map(String::trim)
                .filter(p -> !p.isEmpty()).orElse(null);
        if (processing != null && !Entry.PROCESSING_MODES.contains(processing)) {
            throw new StackException(file + ": strategy.processing must be idempotent or transactional, was '"
                    + processing + "'");
        }
        if (processing != null && runtime.equals(Entry.EXTERNAL)) {
            throw new StackException(file + ": strategy.processing is for Java strategies; an external strategy's"
                    + " module decides how it writes (see docs/any-language.md)");
        }
        return new Entry(name, module, rule, parameters, quantity, port, file, runtime, processing);
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new StackException(file + ": " + key + " is missing");
        }
        return value.trim();
    }

    private static void check(List<Entry> entries, Path folder) {
        if (entries.isEmpty()) {
            throw new StackException("the strategy catalog " + folder + " is empty");
        }
        Map<Integer, String> ports = new HashMap<>();
        for (Entry entry : entries) {
            String other = ports.putIfAbsent(entry.httpPort(), entry.name());
            if (other != null) {
                throw new StackException("strategies " + other + " and " + entry.name() + " both ask for HTTP port "
                        + entry.httpPort());
            }
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /** The modules that run strategies, each once. */
    public List<String> modules() {
        return entries.stream().map(Entry::module).distinct().sorted(Comparator.naturalOrder()).toList();
    }

    public Optional<Entry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Entry {@code name}, or a one-line reason naming the strategies there are. */
    public Entry get(String name) {
        return find(name).orElseThrow(() -> new StackException("no strategy '" + name + "' in the catalog ("
                + FOLDER + "/); there are: " + String.join(", ", names())));
    }
}
