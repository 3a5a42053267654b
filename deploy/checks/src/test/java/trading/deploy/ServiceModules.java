package trading.deploy;

import trading.launcher.catalog.StrategyCatalog;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services as their modules define them: the configuration properties each one has (its
 * application.properties and the shared defaults of service-support), under the
 * environment-variable names that set them, and its port.
 */
final class ServiceModules {

    static final Path HOME = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();
    /** The strategy catalog (strategies/): each entry is a service of its own. */
    static final StrategyCatalog CATALOG = StrategyCatalog.load(HOME);
    /** The strategies' services ({@code strategy-<name>}). */
    static final List<String> STRATEGIES = CATALOG.entries().stream().map(StrategyCatalog.Entry::serviceName).toList();
    static final List<String> SERVICES = services();
    /** The services without state, run as Deployments (the others are StatefulSets). */
    static final Set<String> STATELESS = Set.of("price-feed", "dashboard");

    /**
     * What each service reads and writes, its Kafka Streams application id and its other consumer
     * groups; the checks compare deployments and ACLs with it.
     */
    record Usage(Set<String> reads, Set<String> writes, String applicationId, Set<String> groups) {
    }

    static final Map<String, Usage> USAGE = usage(Map.of(
            "price-feed", new Usage(Set.of(), Set.of("prices"), null, Set.of()),
            "order-execution", new Usage(Set.of("orders", "broker.orders", "broker.events", "trading.control"),
                    Set.of("executions", "orders.dlq", "broker.orders", "broker.events", "trading.control"),
                    "order-execution", Set.of("order-execution.fix-gateway")),
            "exchange-simulator", new Usage(Set.of("prices"), Set.of(), null, Set.of()),
            // reads without a group of its own (KubernetesManifestsTest: theDashboardRunsReplicas...)
            "dashboard", new Usage(Set.of("prices", "orders", "executions", "prices.dlq", "orders.dlq"), Set.of(), null, Set.of())));

    private ServiceModules() {
    }

    private static List<String> services() {
        List<String> services = new java.util.ArrayList<>(List.of("price-feed"));
        services.addAll(STRATEGIES);
        services.addAll(List.of("order-execution", "exchange-simulator", "dashboard"));
        return List.copyOf(services);
    }

    /** Every strategy reads prices and writes orders and dead letters, in a group of its own. */
    private static Map<String, Usage> usage(Map<String, Usage> services) {
        Map<String, Usage> all = new java.util.LinkedHashMap<>(services);
        for (StrategyCatalog.Entry entry : CATALOG.entries()) {
            all.put(entry.serviceName(), new Usage(Set.of("prices"), Set.of("orders", "prices.dlq"), entry.applicationId(), Set.of()));
        }
        return Map.copyOf(all);
    }

    /** The catalog entry a strategy service runs, or empty for the other services. */
    static java.util.Optional<StrategyCatalog.Entry> strategy(String service) {
        return CATALOG.entries().stream().filter(e -> e.serviceName().equals(service)).findFirst();
    }

    /** Whether the service is a strategy outside the JVM ({@code strategy.runtime=external}): no JVM, no Quarkus. */
    static boolean external(String service) {
        return strategy(service).map(StrategyCatalog.Entry::external).orElse(false);
    }

    /** The module (and image) that runs a service: a strategy's is its entry's {@code strategy.module}. */
    static String module(String service) {
        return strategy(service).map(StrategyCatalog.Entry::module).orElse(service);
    }

    /**
     * The service's configuration: the defaults every service shares (service-support), for a
     * strategy those every strategy shares (strategy-support) and its catalog entry, then its
     * module's application.properties.
     */
    static Properties properties(String service) {
        Properties properties = new Properties();
        if (external(service)) {
            // a strategy outside the JVM lists the environment variables it reads in its module
            String file = module(service) + "/environment.properties";
            try (Reader in = Files.newBufferedReader(HOME.resolve(file))) {
                properties.load(in);
            } catch (IOException e) {
                throw new AssertionError("cannot read the configuration of " + service + " (" + file + ")", e);
            }
            return properties;
        }
        List<String> files = new java.util.ArrayList<>(List.of("service-support/src/main/resources/META-INF/microprofile-config.properties"));
        strategy(service).ifPresent(entry -> files.add("strategy-support/src/main/resources/META-INF/microprofile-config.properties"));
        files.add(module(service) + "/src/main/resources/application.properties");
        for (String file : files) {
            try (Reader in = Files.newBufferedReader(HOME.resolve(file))) {
                properties.load(in);
            } catch (IOException e) {
                throw new AssertionError("cannot read the configuration of " + service + " (" + file + ")", e);
            }
        }
        strategy(service).ifPresent(entry -> entry.properties().forEach(properties::setProperty));
        return properties;
    }

    /** The environment variable that sets a property (Quarkus: upper case, anything else '_'). */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Every environment variable that maps to a property of the service. */
    static Set<String> envNames(String service) {
        Set<String> names = new TreeSet<>();
        properties(service).stringPropertyNames().forEach(p -> names.add(envName(p)));
        return names;
    }

    static int port(String service) {
        return strategy(service).map(StrategyCatalog.Entry::httpPort)
                .orElseGet(() -> Integer.parseInt(properties(service).getProperty("quarkus.http.port")));
    }

    /**
     * The one Dockerfile as it builds {@code service}'s image: each {@code ${ARG}} replaced by the
     * build argument docker-compose.yml passes for the service, or else by the ARG's default.
     */
    static String dockerfile(String service) {
        String text;
        com.fasterxml.jackson.databind.JsonNode args;
        try {
            text = Files.readString(HOME.resolve("Dockerfile"));
            args = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(HOME.resolve("docker-compose.yml").toFile())
                    .path("services").path(service).path("build").path("args");
        } catch (IOException e) {
            throw new AssertionError("cannot read the Dockerfile or docker-compose.yml", e);
        }
        Map<String, String> values = new java.util.HashMap<>();
        Matcher declared = Pattern.compile("(?m)^ARG (\\w+)(?:=(\\S*))?").matcher(text);
        while (declared.find()) {
            values.putIfAbsent(declared.group(1), declared.group(2) == null ? "" : declared.group(2));
        }
        args.fields().forEachRemaining(arg -> values.put(arg.getKey(), arg.getValue().asText()));
        Matcher use = Pattern.compile("\\$\\{(\\w+)}").matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (use.find()) {
            String name = use.group(1);
            use.appendReplacement(rendered, Matcher.quoteReplacement(values.containsKey(name) ? values.get(name) : use.group()));
        }
        use.appendTail(rendered);
        return rendered.toString();
    }

    /** The user the service's image runs as (its Dockerfile's USER). */
    static long imageUser(String service) {
        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile(service));
        if (!user.find()) {
            throw new AssertionError(service + "'s Dockerfile sets no numeric USER");
        }
        return Long.parseLong(user.group(1));
    }

    /** The JVM options the image runs with unless the deployment sets JAVA_OPTS. */
    static String imageJavaOptions(String service) {
        Matcher options = Pattern.compile("ENV JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile(service));
        if (!options.find()) {
            throw new AssertionError(service + "'s Dockerfile sets no JAVA_OPTS");
        }
        return options.group(1);
    }

    /** Directories the Dockerfile creates and hands to its user, so a volume mounted there is writable. */
    static Set<String> ownedDirectories(String service) {
        Set<String> owned = new TreeSet<>();
        Matcher chown = Pattern.compile("chown (\\d+)(?::\\d+)? ([^&\\n]+)").matcher(dockerfile(service));
        while (chown.find()) {
            if (Long.parseLong(chown.group(1)) == imageUser(service)) {
                owned.addAll(List.of(chown.group(2).trim().split("\\s+")));
            }
        }
        return owned;
    }

    /** The RocksDB budget a Kafka Streams service runs with by default, or 0 without RocksDB. */
    static long rocksDbMiB(String service) {
        String value = properties(service).getProperty("pipeline.rocksdb.memory-mb");
        return value == null ? 0 : Long.parseLong(value.trim());
    }
}
