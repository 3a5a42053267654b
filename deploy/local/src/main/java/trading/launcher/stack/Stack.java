package trading.launcher.stack;

import trading.launcher.catalog.ExternalStrategy;
import trading.launcher.catalog.StrategyCatalog;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import trading.launcher.stack.StackConfig.Service;
import trading.schema.SchemaRegistration;
import trading.schema.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole pipeline on one machine, each part a process of its own: a single-node KRaft Kafka
 * broker, Apicurio Registry, then order-execution (and the exchange simulator with the FIX broker),
 * each strategy of the catalog ({@code strategies/}), price-feed and the dashboard from their
 * packaged Quarkus apps. {@link #close()} stops them in reverse order.
 */
public final class Stack implements AutoCloseable {

    /** Marks every process of a stack on its command line, so leftovers of a killed launcher can be found. */
    static final String RUN_MARKER = "-Dpipeline.run=";

    private final StackConfig config;
    private final PrintStream out;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final Map<String, ManagedProcess> services = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long startNanos = System.nanoTime();
    /** How long a service instance started after the stack is up may take to be ready: see {@link #readyBound(Duration)}. */
    private Duration readyBound = READY_BOUND_AT_LEAST;
    static final Duration READY_BOUND_AT_LEAST = Duration.ofSeconds(180);
    private int step;
    private int steps;

    public Stack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public StackConfig config() {
        return config;
    }

    private Isolation isolation;

    /**
     * Starts every process from now on in a control group of its own, so that {@code isolation} can
     * cut its links ({@code ./pipeline chaos}'s partitions); the caller closes it after the stack.
     */
    public void isolateProcesses(Isolation isolation) {
        this.isolation = isolation;
    }

    private boolean strict = true;
    /** Strategy instances that could not start (not prepared, or exited while starting), with the reason. */
    private final Map<String, String> cannotStart = new LinkedHashMap<>();
    /** External strategy modules whose {@code prepare} failed, with its last line. */
    private final Map<String, String> unprepared = new HashMap<>();
    private final Map<String, Map<String, String>> extraEnvironment = new HashMap<>();

    /**
     * Strict (the default, as tests, bench and chaos run): a process that cannot start stops the
     * whole start. Not strict ({@code ./pipeline up} without {@code --strict}): a strategy that cannot
     * start (its module cannot be prepared, or it exits while starting) is left not ready with its
     * reason, and the rest of the stack comes up and trades; anything else still stops the start.
     */
    public void strict(boolean strict) {
        this.strict = strict;
    }

    /** Starts {@code name} from its next start with these environment variables added (or replaced). */
    public void environment(String name, Map<String, String> variables) {
        extraEnvironment.put(name, Map.copyOf(variables));
    }

    /** The strategy instances that could not start, each with its one-line reason; empty in a strict start. */
    public Map<String, String> cannotStart() {
        return Map.copyOf(cannotStart);
    }

    private final Map<String, Duration> clockOffsets = new HashMap<>();

    /**
     * Starts {@code name} from its next start with its wall clock {@code offset} off the machine's
     * ({@link FakeClock}); {@link Duration#ZERO} gives it the machine's clock again.
     */
    public void skewClock(String name, Duration offset) {
        if (!offset.isZero()) {
            FakeClock.unavailable().ifPresent(why -> {
                throw new StackException("cannot set the clock of " + name + " off: " + why);
            });
        }
        clockOffsets.put(name, offset);
    }

    private HttpCredentials credentials;
    private KafkaAccess kafkaAccess;
    private KafkaCredentials kafkaCredentials;

    /** On a secure stack: who may do what on Kafka (deploy/k8s/base/users.yaml) and everyone's credentials. */
    private synchronized KafkaCredentials kafkaCredentials() {
        if (kafkaCredentials == null) {
            kafkaAccess = KafkaAccess.load(config.home());
            kafkaCredentials = KafkaCredentials.ensure(config.runDir(), kafkaAccess.users(), out);
        }
        return kafkaCredentials;
    }

    /** The HTTP logins and peer secrets of this stack's services (generated on first use). */
    public synchronized HttpCredentials credentials() {
        if (credentials == null) {
            credentials = HttpCredentials.ensure(config.runDir(), out, config.services());
        }
        return credentials;
    }

    /** Starts everything and returns once every service answers its readiness check. */
    public void start() {
        startInfrastructure();
        startServices();
    }

    /** Kafka with the topics and the registry with the schemas: what the services need. */
    public void startInfrastructure() {
        steps = 6;
        Path java21 = JavaRuntimes.atLeast(21);
        Path registryHome = home("deploy/local/target/apicurio-registry");
        Path kafkaLib = home("deploy/kafka-broker/target/lib");
        for (Service service : config.services()) {
            if (!service.isStrategy() || !service.strategy().external()) {
                home(service.module() + "/target/quarkus-app/quarkus-run.jar");
            }
        }
        stopLeftovers();
        prepareRunDir();
        checkPortsFree();
        credentials();
        if (config.secure()) {
            kafkaCredentials();
        }

        prepareExternalModules();

        progress("starting Kafka (KRaft, " + (config.brokers() == 1 ? "single node" : config.brokers() + " nodes, each broker and controller")
                + (config.secure() ? "; TLS, SCRAM, ACLs" : "") + ") on " + config.bootstrapServers()
                + " and Apicurio Registry on :" + config.registryPort());
        List<ManagedProcess> brokers = startBrokers(kafkaLib);
        ManagedProcess registry = startRegistry(java21, registryHome);

        progress("waiting for Kafka, then creating topics");
        try (Admin admin = config.admin(Duration.ofSeconds(10))) {
            for (ManagedProcess broker : brokers) {
                await(broker, Duration.ofSeconds(90), () -> brokerAnswers(admin, config.brokers()));
            }
            createTopics(admin);
            if (config.secure()) {
                createUsers(admin);
            }
        }
        detail("Kafka ready, topics: " + Topics.ALL.stream().map(t -> t.name() + "(" + t.partitions() + ")")
                .collect(Collectors.joining(", ")) + (config.brokers() > 1 ? "; " + config.replicationFactor()
                + " replicas of every partition, min.insync.replicas " + config.minInsyncReplicas() : ""));

        progress("waiting for Apicurio Registry, then registering schemas (BACKWARD compatibility)");
        await(registry, Duration.ofSeconds(180), () -> httpOk(config.registryUrl() + "/system/info"));
        registerSchemas();
        detail("registry ready, schemas: " + String.join(", ", SchemaRegistration.valueSchemas().keySet()));
    }

    /**
     * Registers the schemas (idempotent). The registry client has no timeout of its own, and its
     * Vert.x client was seen to leave a request hanging although the registry had answered it (the
     * registry's access log shows the 200): each attempt gets 60 s on a thread of its own, and a
     * hung attempt is abandoned and tried once more before the launcher gives up.
     */
    private void registerSchemas() {
        int attempts = 2;
        for (int attempt = 1; ; attempt++) {
            java.util.concurrent.ExecutorService registering = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "schema-registration");
                thread.setDaemon(true);
                return thread;
            });
            try {
                registering.submit(() -> {
                    new SchemaRegistration(config.registryUrl()).registerAll();
                    return null;
                }).get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                throw new StackException("could not register the schemas: " + e.getCause().getMessage(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                if (attempt == attempts) {
                    throw new StackException("the registry did not answer the schema registration within 60 s, "
                            + attempts + " times; see " + config.runDir().resolve("logs/apicurio-registry.log"));
                }
                detail("the schema registration got no answer within 60 s; trying again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted");
            } finally {
                registering.shutdownNow();
            }
        }
    }

    /** The services, on the infrastructure {@link #startInfrastructure} started; ready when this returns. */
    public void startServices() {
        progress("starting the services");
        long servicesStart = System.nanoTime();
        for (Service service : config.services()) {
            for (int i = 0; i < config.instancesOf(service); i++) {
                startService(service, i);
            }
        }

        progress("waiting for the services to be ready");
        Map<String, Service> strategyOf = new HashMap<>();
        config.strategies().forEach(strategy -> {
            for (int i = 0; i < config.instancesOf(strategy); i++) {
                strategyOf.put(instanceName(strategy, i), strategy);
            }
        });
        services.forEach((name, process) -> {
            String url = healthUrl(name);
            if (strict || !strategyOf.containsKey(name)) {
                await(process, Duration.ofSeconds(180), () -> httpOk(url));
                detail(name + " ready");
                return;
            }
            try {
                await(process, Duration.ofSeconds(180), () -> httpOk(url));
                detail(name + " ready");
            } catch (StackException e) {
                if (!process.isAlive()) {
                    cannotStart.put(name, "exited while starting (code " + process.exitCode() + "): " + process.lastLine()
                            + " (log: " + config.runDir().relativize(process.log()) + ")");
                }
                detail("NOT READY " + name + ": " + readiness().getOrDefault(name, "not ready after 180 s")
                        + "; the rest of the stack goes on");
            }
        });
        readyBound = readyBound(Duration.ofNanos(System.nanoTime() - servicesStart));
        out.printf("Pipeline up in %.1f s.%n", elapsedSeconds());
    }

    /**
     * How long an instance started later (a restart, a successor) may take to be ready: 180 s, or twice
     * what starting every service took on this machine if that is longer. A loaded two-core machine
     * has been seen taking 50-85 s to start one Quarkus service beside the running stack, then over a
     * minute to rejoin its group and restore; a fixed bound would fail there on time, not on behaviour.
     */
    static Duration readyBound(Duration everyServiceStarted) {
        Duration twice = everyServiceStarted.multipliedBy(2);
        return twice.compareTo(READY_BOUND_AT_LEAST) > 0 ? twice : READY_BOUND_AT_LEAST;
    }

    /** {@link #readyBound(Duration)} for this stack, once its services are up. */
    public Duration readyBound() {
        return readyBound;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Each running process: name, pid, where it listens, resident memory. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (ManagedProcess process : processes) {
            lines.add(String.format("  %-22s pid %-7d %-42s %5d MiB  log %s", process.name(), process.pid(),
                    endpointOf(process.name()), process.residentMib(), config.runDir().relativize(process.log())));
        }
        return lines;
    }

    public List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    /** Starts a service instance again after {@link #kill}, with its state; ready when this returns. */
    public void restart(String name) {
        startAgain(name);
        await(services.get(name), readyBound, () -> httpOk(healthUrl(name)));
    }

    /**
     * Starts a service instance again after {@link #kill} or an exit, and returns at once: it may not
     * become ready while what it needs (the registry, Kafka) is away.
     */
    public void startAgain(String name) {
        for (Service service : config.services()) {
            for (int i = 0; i < config.instancesOf(service); i++) {
                if (instanceName(service, i).equals(name)) {
                    ManagedProcess old = services.remove(name);
                    if (old != null) {
                        processes.remove(old);
                    }
                    startService(service, i);
                    return;
                }
            }
        }
        throw new StackException("no service instance named " + name);
    }

    /**
     * Starts one more instance of a strategy beside the configured ones (index {@code instance}, its
     * own port and state), as an operator replacing an instance that looks dead would; ready when
     * this returns. {@link #stopInstance} stops it.
     */
    public void startExtraInstance(Service strategy, int instance) {
        String name = instanceName(strategy, instance);
        if (!strategy.isStrategy() || services.containsKey(name)) {
            throw new StackException("cannot start " + name + " beside the stack's instances");
        }
        startService(strategy, instance);
        await(services.get(name), readyBound, () -> httpOk(healthUrl(name)));
    }

    /** Stops a service instance cleanly (it leaves its group at once) and forgets it. */
    public void stopInstance(String name) {
        ManagedProcess process = service(name);
        process.stop(60);
        services.remove(name);
        processes.remove(process);
    }

    /** A running service instance's process. */
    public ManagedProcess service(String name) {
        ManagedProcess process = services.get(name);
        if (process == null) {
            throw new StackException("no service instance named " + name + "; running: " + services.keySet());
        }
        return process;
    }

    /** The service instances' names, in start order. */
    public List<String> serviceNames() {
        return List.copyOf(services.keySet());
    }

    /**
     * Every service instance that is not ready now, with why: those that could not start (their
     * reason), then those that run but do not answer ready ({@link #notReady}). Empty when all are ready.
     */
    public Map<String, String> readiness() {
        Map<String, String> notReady = new LinkedHashMap<>(cannotStart);
        for (String name : serviceNames()) {
            if (!notReady.containsKey(name)) {
                notReady(name).ifPresent(why -> notReady.put(name, why));
            }
        }
        return notReady;
    }

    /**
     * Runs the {@code prepare} of every external strategy module the catalog uses (Debian packages, a
     * native library: once per machine, at once when done). One that fails stops a strict start; else
     * that strategy's instances are not started and say why.
     */
    private void prepareExternalModules() {
        Set<String> modules = new LinkedHashSet<>();
        config.strategies().stream().filter(s -> s.strategy().external()).forEach(s -> modules.add(s.module()));
        for (String module : modules) {
            ExternalStrategy.prepare(config.home(), module, line -> out.println("      " + module + "/prepare: " + line))
                    .ifPresent(why -> {
                        if (strict) {
                            throw new StackException(module + " cannot run on this machine: " + why);
                        }
                        unprepared.put(module, why);
                        detail(module + " cannot run on this machine (" + why + "); its strategy is left out, the rest starts");
                    });
        }
    }

    /**
     * Why a service instance is not ready, from its readiness checks' own words (e.g. "schema-registry:
     * schema registry unavailable: ..."), or empty when it is ready.
     */
    public Optional<String> notReady(String name) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(healthUrl(name)))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return Optional.empty();
            }
            List<String> reasons = new ArrayList<>();
            for (var check : JSON.readTree(response.body()).path("checks")) {
                if (!"UP".equals(check.path("status").asText())) {
                    var data = check.path("data");
                    String why = data.path("reason").asText(data.path("streams").asText(data.path("state").asText("")));
                    reasons.add(check.path("name").asText() + (why.isEmpty() ? "" : ": " + why));
                }
            }
            return Optional.of(reasons.isEmpty() ? "HTTP " + response.statusCode() : String.join("; ", reasons));
        } catch (IOException e) {
            return Optional.of("not answering (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The registry's process. */
    public ManagedProcess registry() {
        return processes.stream().filter(p -> p.name().equals("apicurio-registry")).reduce((first, later) -> later)
                .orElseThrow(() -> new StackException("no registry process"));
    }

    /** Starts the registry again on its data after it was killed or exited; returns once it answers. */
    public void restartRegistry() {
        ManagedProcess old = registry();
        if (old.isAlive()) {
            throw new StackException("apicurio-registry is still running");
        }
        processes.remove(old);
        ManagedProcess registry = startRegistry(JavaRuntimes.atLeast(21), home("deploy/local/target/apicurio-registry"));
        await(registry, readyBound, () -> httpOk(config.registryUrl() + "/system/info"));
    }

    /** Kafka node {@code node}'s data folder (its log directory). */
    public Path brokerData(int node) {
        return brokerDir(node).resolve("data");
    }

    /** Kafka node {@code node}'s process (0-based). */
    public ManagedProcess broker(int node) {
        String name = brokerName(node);
        return processes.stream().filter(p -> p.name().equals(name)).reduce((first, later) -> later)
                .orElseThrow(() -> new StackException("no Kafka node " + name));
    }

    /**
     * Starts Kafka nodes again on their data, after a kill or a stop, and returns once each answers
     * and every partition has all its replicas in sync again.
     */
    public void restartBrokers(int... nodes) {
        List<ManagedProcess> started = new ArrayList<>();
        for (int node : nodes) {
            ManagedProcess old = broker(node);
            if (old.isAlive()) {
                throw new StackException(old.name() + " is still running");
            }
            processes.remove(old);
            started.add(startBroker(home("deploy/kafka-broker/target/lib"), node, null));
        }
        for (int i = 0; i < nodes.length; i++) {
            // the node itself answers (the cluster may still list a dead node for a few seconds) ...
            try (Admin admin = config.adminOfNode(nodes[i], Duration.ofSeconds(10))) {
                await(started.get(i), Duration.ofSeconds(120), () -> brokerAnswers(admin, config.brokers()));
            }
        }
        // ... and they have caught up
        awaitFullyReplicated(started.get(0), Duration.ofMinutes(3));
    }

    /** Waits until no partition of any topic, internal ones included, is under-replicated. */
    public void awaitFullyReplicated(ManagedProcess watched, Duration timeout) {
        try (Admin admin = config.admin(Duration.ofSeconds(10))) {
            await(watched, timeout, () -> underReplicated(admin) == 0);
        }
    }

    private int underReplicated(Admin admin) {
        try {
            var names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get(10, TimeUnit.SECONDS);
            int count = 0;
            for (var topic : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                for (var partition : topic.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        count++;
                    }
                }
            }
            return count;
        } catch (Exception e) {
            return Integer.MAX_VALUE; // not answering: not caught up either
        }
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) a process, as a long GC pause or a stalled VM would. */
    public static void signal(ManagedProcess process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new StackException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** Kills a service instance at once (SIGKILL), as a crash would. */
    public void kill(String name) {
        ManagedProcess process = services.get(name);
        if (process == null) {
            throw new StackException("no service instance named " + name + "; running: " + services.keySet());
        }
        process.kill();
    }

    private String endpointOf(String name) {
        for (int node = 0; node < config.brokers(); node++) {
            if (name.equals(brokerName(node))) {
                return "localhost:" + config.kafkaPort(node) + (config.secure() ? " SASL_SSL" : "");
            }
        }
        if (name.equals("apicurio-registry")) {
            return "http://localhost:" + config.registryPort() + "/apis/registry/v3";
        }
        for (Service service : config.services()) {
            for (int i = 0; i <= Math.max(1, config.instances()); i++) { // one extra instance too
                if (instanceName(service, i).equals(name)) {
                    return config.serviceUrl(service, i);
                }
            }
        }
        return "";
    }

    private String healthUrl(String name) {
        return endpointOf(name) + "/q/health/ready";
    }

    public static String instanceName(Service service, int instance) {
        return service.scalable() ? service.name() + "-" + instance : service.name();
    }

    /** The cluster's nodes: one called kafka in .pipeline/kafka, or kafka-1, kafka-2 ... each in a folder of its own. */
    public String brokerName(int node) {
        return brokerName(config.brokers(), node);
    }

    public static String brokerName(int brokers, int node) {
        return brokers == 1 ? "kafka" : "kafka-" + (node + 1);
    }

    private Path brokerDir(int node) {
        return config.runDir().resolve(brokerName(node));
    }

    /** Formats what is not formatted yet (one cluster id for all nodes) and starts every node. */
    private List<ManagedProcess> startBrokers(Path kafkaLib) {
        String clusterId = Uuid.randomUuid().toString();
        List<ManagedProcess> started = new ArrayList<>();
        for (int node = 0; node < config.brokers(); node++) {
            started.add(startBroker(kafkaLib, node, clusterId));
        }
        return started;
    }

    /**
     * The command that formats a broker's storage. On a secure stack the launcher's super user
     * exists before the broker first starts (KRaft keeps SCRAM credentials in its metadata; every
     * other user is created through it), and its password goes in {@code argumentFile} (0600),
     * not on the command line, where {@code ps} would show it to anyone on the machine.
     */
    static List<String> formatCommand(String classpath, String clusterId, Path properties, Path argumentFile,
                                      String adminPassword) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-cp", classpath,
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()));
        if (adminPassword != null) {
            arguments.addAll(List.of("--add-scram", KafkaCredentials.MECHANISM + "=[name=" + KafkaCredentials.ADMIN
                    + ",password=" + adminPassword + "]"));
        }
        PrivateFiles.javaArgumentFile(argumentFile, arguments);
        return List.of(JavaRuntimes.current().toString(), "@" + argumentFile);
    }

    private ManagedProcess startBroker(Path kafkaLib, int node, String clusterId) {
        Path kafkaDir = brokerDir(node);
        Path properties = kafkaDir.resolve("server.properties");
        try {
            PrivateFiles.directory(kafkaDir);
            if (config.secure() && Files.exists(kafkaDir.resolve("data/meta.properties")) && !StackConfig.ranSecure(config.runDir())) {
                // its metadata has no SCRAM user for the launcher: it could never log in
                throw new StackException("the previous run's Kafka in " + kafkaDir + " was not secure; start --secure fresh"
                        + " (without --resume), or resume without --secure");
            }
            if (isolation != null) {
                isolation.mountDisk(brokerName(node), kafkaDir.resolve("data"));
            }
            // mode 600: on a secure stack it holds the keystore's and the broker user's passwords
            String brokerConfig = brokerProperties(node, kafkaDir.resolve("data"));
            PrivateFiles.write(properties, w -> w.write(brokerConfig));
            String classpath = kafkaLib.toAbsolutePath() + "/*";
            if (!Files.exists(kafkaDir.resolve("data/meta.properties"))) {
                Path arguments = kafkaDir.resolve("format.args");
                List<String> format = formatCommand(classpath, clusterId, properties, arguments,
                        config.secure() ? kafkaCredentials().admin().password() : null);
                Process formatting = new ProcessBuilder(format)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(config.runDir().resolve("logs/kafka-format.log").toFile()))
                        .start();
                boolean formatted = formatting.waitFor(60, TimeUnit.SECONDS) && formatting.exitValue() == 0;
                Files.deleteIfExists(arguments);
                if (!formatted) {
                    throw new StackException("formatting Kafka's storage failed; see " + config.runDir().resolve("logs/kafka-format.log"));
                }
            }
            String heap = config.brokers() == 1 ? "-Xmx1g" : "-Xmx512m";
            return track(launch(brokerName(node), List.of(JavaRuntimes.current().toString(),
                    RUN_MARKER + config.runDir(), "-Xms256m", heap, "-XX:+UseG1GC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", classpath, "kafka.Kafka", properties.toString()),
                    kafkaDir, Map.of(), logFile(brokerName(node))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /**
     * Node {@code node} of the cluster. Every node is both broker and controller (combined mode):
     * on one machine three controller processes beside three brokers would only cost memory and
     * CPU, and a quorum of three combined nodes survives one node lost, like three brokers do.
     */
    private String brokerProperties(int node, Path dataDir) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(node + 1));
        StringBuilder voters = new StringBuilder();
        for (int n = 0; n < config.brokers(); n++) {
            voters.append(n == 0 ? "" : ",").append(n + 1).append("@localhost:").append(config.controllerPort(n));
        }
        p.setProperty("controller.quorum.voters", voters.toString());
        p.setProperty("controller.listener.names", "CONTROLLER");
        if (config.secure()) {
            secureListeners(p, node);
        } else {
            p.setProperty("listeners", "PLAINTEXT://localhost:" + config.kafkaPort(node) + ",CONTROLLER://localhost:" + config.controllerPort(node));
            p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + config.kafkaPort(node));
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        p.setProperty("log.dirs", dataDir.toAbsolutePath().toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        // every topic, the internal ones too (offsets, transactions, Streams' changelogs and
        // repartitions, which take the default), with one replica on one node, three on three, where a
        // write is acknowledged once two have it: one node may fail without losing an acknowledged write
        String replicas = Integer.toString(config.replicationFactor());
        String minInsync = Integer.toString(config.minInsyncReplicas());
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minInsync);
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minInsync);
        p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        p.setProperty("share.coordinator.state.topic.min.isr", minInsync);
        // an unclean leader would be a replica that missed acknowledged writes
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // A killed Streams instance leaves a transaction open, holding offsets of the partitions it
        // owned; whoever takes them over waits until the coordinator aborts it. It may abort once the
        // transaction timeout (Streams: 10 s) is up, but looks only every 10 s by default: every 1 s
        // takes up to 9 s off the take-over after a crash.
        p.setProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        StringBuilder text = new StringBuilder("# written by ./pipeline for this run\n");
        p.stringPropertyNames().stream().sorted().forEach(k -> text.append(k).append('=').append(p.getProperty(k)).append('\n'));
        return text.toString();
    }

    /**
     * {@code --secure}: clients connect with SCRAM-SHA-512 over TLS (SASL_SSL), the broker talks to
     * itself the same way as the launcher's super user, and the controller listener takes only
     * TLS clients with a certificate from this stack's CA (the broker's own). KRaft's
     * StandardAuthorizer denies whatever no ACL allows; the super users are the launcher and the
     * broker itself, nobody else.
     */
    private void secureListeners(Properties p, int node) {
        KafkaCredentials kafka = kafkaCredentials();
        p.setProperty("listeners", "SECURE://localhost:" + config.kafkaPort(node) + ",CONTROLLER://localhost:" + config.controllerPort(node));
        p.setProperty("advertised.listeners", "SECURE://localhost:" + config.kafkaPort(node));
        p.setProperty("listener.security.protocol.map", "SECURE:SASL_SSL,CONTROLLER:SSL");
        p.setProperty("inter.broker.listener.name", "SECURE");
        p.setProperty("sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
        p.setProperty("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
        p.setProperty("listener.name.secure.scram-sha-512.sasl.jaas.config",
                KafkaCredentials.jaas(KafkaCredentials.ADMIN, kafka.admin().password()));
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", kafka.brokerKeystore().toAbsolutePath().toString());
        p.setProperty("ssl.keystore.password", kafka.keystorePassword());
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", kafka.caCertificate().toAbsolutePath().toString());
        p.setProperty("listener.name.controller.ssl.client.auth", "required");
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        p.setProperty("super.users", "User:" + KafkaCredentials.ADMIN + ";" + KafkaCredentials.BROKER_PRINCIPAL);
    }

    private ManagedProcess startRegistry(Path java21, Path registryHome) {
        Path dataDir = config.runDir().resolve("registry");
        try {
            PrivateFiles.directory(dataDir);
            // loopback whatever --listen says: the registry's API writes schemas and asks no login here
            Map<String, String> env = Map.of(
                    "QUARKUS_HTTP_HOST", StackConfig.LOOPBACK,
                    "QUARKUS_HTTP_PORT", Integer.toString(config.registryPort()),
                    "QUARKUS_MANAGEMENT_HOST", StackConfig.LOOPBACK,
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(config.registryManagementPort()),
                    "APICURIO_DATASOURCE_URL", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry"));
            return track(launch("apicurio-registry", List.of(java21.toString(), RUN_MARKER + config.runDir(),
                    "-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", "quarkus-run.jar"),
                    registryHome, env, logFile("apicurio-registry")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The services' JVM: the serial collector (no collector threads competing with the stream
     * threads for two cores) and a fixed 128 MB young generation. Measured under load
     * (./pipeline bench --profile): each service keeps 35 to 40 MB live; with the former 64 MB
     * starting heap the young generation was about 20 MB and collected every 0.3 s at 5 000
     * prices/s (464 pauses in a run, 2 to 4 ms each, the slowest 163 ms while the heap grew).
     */
    static final List<String> SERVICE_JVM = List.of("-Xms256m", "-Xmx512m", "-Xmn128m", "-XX:+UseSerialGC");

    private void startService(Service service, int instance) {
        if (service.isStrategy() && service.strategy().external()) {
            startExternalStrategy(service, instance);
            return;
        }
        String name = instanceName(service, instance);
        Path app = home(service.module() + "/target/quarkus-app/quarkus-run.jar");
        Path stateDir = config.runDir().resolve("state").resolve(name);
        List<String> command = new ArrayList<>(List.of(JavaRuntimes.current().toString(), RUN_MARKER + config.runDir()));
        command.addAll(SERVICE_JVM);
        if (service.scalable() && config.instances() > 1) {
            command.add("-Dkafka-streams.num.standby.replicas=1");
        }
        command.addAll(config.javaOptions());
        command.addAll(List.of(
                "-Dquarkus.http.host=" + config.listen(),
                "-Dquarkus.http.port=" + config.port(service, instance),
                "-Dkafka.bootstrap.servers=" + config.bootstrapServers(),
                "-Dpipeline.registry-url=" + config.registryUrl(),
                "-Dpipeline.state-dir=" + stateDir.toAbsolutePath(),
                "-Dpipeline.http.users-file=" + credentials().usersFile().toAbsolutePath()));
        if (service.isStrategy()) {
            // the catalog entry is the service's configuration
            service.strategy().properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        }
        if (service.equals(Service.ORDER_EXECUTION) && config.runs(Service.EXCHANGE_SIMULATOR)) {
            command.add("-Dexecution.broker=fix");
            command.add("-Dexecution.fix.port=" + config.fixPort());
            command.add("-Dexecution.fix.data-dir=" + stateDir.resolve("fix").toAbsolutePath());
            command.add("-Dexecution.fix.sender-comp-id=PIPELINE-" + instance); // one FIX session per instance
        }
        if (service.equals(Service.DASHBOARD)) {
            for (Service asked : List.of(Service.PRICE_FEED, Service.ORDER_EXECUTION)) {
                command.add("-Ddashboard.services." + asked.name() + "=" + config.serviceUrl(asked, 0));
            }
            command.add("-Ddashboard.strategies=" + config.strategies().stream()
                    .map(strategy -> config.serviceUrl(strategy, 0)).collect(Collectors.joining(",")));
        }
        if (service.equals(Service.EXCHANGE_SIMULATOR)) {
            command.add("-Dexchange.fix.port=" + config.fixPort());
            command.add("-Dexchange.fix.host=" + StackConfig.LOOPBACK); // only order-execution, on this machine, talks FIX
            command.add("-Dexchange.data-dir=" + stateDir.toAbsolutePath());
            config.exchangeProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        }
        if (service.equals(Service.PRICE_FEED)) {
            command.add("-Dfeed.rate=" + config.feedRate());
            command.add("-Dfeed.seed=" + config.feedSeed());
            config.feedProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        }
        command.addAll(List.of("-jar", app.toString()));
        try {
            PrivateFiles.directory(stateDir);
            // secrets go by environment, not on the command line every process listing shows
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PIPELINE_PEER_SECRET", credentials().peerSecret(service));
            if (config.secure()) {
                env.putAll(kafkaCredentials().serviceEnvironment(service.name())); // its own Kafka user
            }
            if (service.equals(Service.DASHBOARD)) {
                // read-only, for services started with reads that need a login
                env.put("DASHBOARD_LOGIN_USER", credentials().viewer().user());
                env.put("DASHBOARD_LOGIN_PASSWORD", credentials().viewer().password());
            }
            ManagedProcess process = track(launch(name, command, app.getParent(), env, logFile(name)));
            services.put(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A strategy outside the JVM: its module's {@code run run}, configured as compose and Kubernetes
     * configure it, by environment variables (its catalog entry, Kafka, the registry, its login).
     */
    private void startExternalStrategy(Service service, int instance) {
        String name = instanceName(service, instance);
        if (unprepared.containsKey(service.module())) {
            cannotStart.put(name, "not started: " + unprepared.get(service.module()));
            return;
        }
        StrategyCatalog.Entry entry = service.strategy();
        Path moduleDir = home(entry.module());
        Map<String, String> env = new LinkedHashMap<>(entry.environment());
        env.put("STRATEGY_HTTP_PORT", Integer.toString(config.port(service, instance)));
        env.put("PIPELINE_HTTP_BIND", config.listen());
        env.put("PIPELINE_ADVERTISED_HOST", "localhost");
        env.put("PIPELINE_INSTANCE", Integer.toString(instance));
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers());
        env.put("PIPELINE_REGISTRY_URL", config.registryUrl());
        env.put("PIPELINE_HTTP_USERS_FILE", credentials().usersFile().toAbsolutePath().toString());
        env.put("PIPELINE_PEER_SECRET", credentials().peerSecret(service));
        if (config.secure()) {
            env.putAll(kafkaCredentials().serviceEnvironment(service.name())); // its own Kafka user
        }
        List<String> command = new ArrayList<>(ExternalStrategy.command(config.home(), entry, "run"));
        command.add(RUN_MARKER + config.runDir()); // so that a leftover of this run is found and stopped
        try {
            ManagedProcess process = track(launch(name, command, moduleDir, env, logFile(name)));
            services.put(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a price-feed of its own that replays {@code file} into the running stack (broker and
     * registry of this config), on {@link StackConfig#REPLAY_FEED_PORT}; ready when this returns.
     */
    public ManagedProcess startReplayFeed(Path file, String speed) {
        requireRunningBroker();
        int port = StackConfig.REPLAY_FEED_PORT + config.portOffset();
        Path app = home(Service.PRICE_FEED.module() + "/target/quarkus-app/quarkus-run.jar");
        String name = "replay-feed";
        List<String> command = new ArrayList<>(List.of(JavaRuntimes.current().toString(), RUN_MARKER + config.runDir()));
        command.addAll(SERVICE_JVM);
        command.addAll(config.javaOptions()); // as the stack's own services (a test stack's quick start)
        command.addAll(List.of(
                "-Dquarkus.http.host=" + config.listen(),
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + config.bootstrapServers(),
                "-Dpipeline.registry-url=" + config.registryUrl(),
                "-Dfeed.mode=replay",
                "-Dfeed.replay.file=" + file.toAbsolutePath(),
                "-Dfeed.replay.speed=" + speed,
                "-jar", app.toString()));
        try {
            Files.createDirectories(config.runDir().resolve("logs"));
            Map<String, String> env = config.secure() ? kafkaCredentials().serviceEnvironment(Service.PRICE_FEED.name()) : Map.of();
            ManagedProcess process = ManagedProcess.start(name, command, app.getParent(), env, logFile(name));
            processes.add(process);
            // as long as a restarted service may take beside the running stack: a condition, bounded
            await(process, readyBound, () -> httpOk("http://localhost:" + port + "/q/health/ready"));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireRunningBroker() {
        try (Admin admin = config.admin(Duration.ofSeconds(5))) {
            if (!brokerAnswers(admin, 1)) {
                throw new StackException("no running stack found: Kafka does not answer on " + config.bootstrapServers()
                        + ". Start one with ./pipeline up (or give the --port-offset it runs with).");
            }
        }
        if (!httpOk(config.registryUrl() + "/system/info")) {
            throw new StackException("Apicurio Registry does not answer on " + config.registryUrl() + "; is the stack up?");
        }
    }

    /**
     * Starts only the broker, on the previous run's data (for maintenance such as a reset while
     * the stack is stopped); {@link #close()} stops it.
     */
    public void startBrokerOnly() {
        if (!Files.exists(brokerDir(0).resolve("data/meta.properties"))) {
            throw new StackException("there is no previous run in " + config.runDir() + " (./pipeline up creates one)");
        }
        stopLeftovers();
        checkPortsFree();
        List<ManagedProcess> brokers = startBrokers(home("deploy/kafka-broker/target/lib"));
        try (Admin admin = config.admin(Duration.ofSeconds(10))) {
            for (ManagedProcess broker : brokers) {
                await(broker, Duration.ofSeconds(90), () -> brokerAnswers(admin, config.brokers()));
            }
        }
    }

    /**
     * One SCRAM user per service with the ACLs of {@link KafkaAccess#DEFINITION}; the passwords
     * are set anew on every start (an upsert), so the broker always holds what the files say.
     */
    private void createUsers(Admin admin) {
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = kafkaAccess.users().stream()
                .<org.apache.kafka.clients.admin.UserScramCredentialAlteration>map(user ->
                        new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(user,
                                new org.apache.kafka.clients.admin.ScramCredentialInfo(
                                        org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
                                kafkaCredentials.password(user)))
                .toList();
        try {
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(kafkaAccess.all()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("could not create the Kafka users and their ACLs: " + e.getMessage(), e);
        }
        detail("Kafka users with their ACLs (from " + KafkaAccess.DEFINITION + "): " + String.join(", ", kafkaAccess.users())
                + "; clients trust " + config.runDir().relativize(kafkaCredentials.caCertificate()));
    }

    private void createTopics(Admin admin) {
        for (Topics.Spec spec : Topics.ALL) {
            try {
                NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) config.replicationFactor());
                if (spec.compacted()) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new StackException("could not create topic " + spec.name() + ": " + e.getCause().getMessage(), e);
                }
            } catch (Exception e) {
                throw new StackException("could not create topic " + spec.name() + ": " + e, e);
            }
        }
    }

    /** Whether the cluster answers with at least {@code nodes} brokers registered. */
    private static boolean brokerAnswers(Admin admin, int nodes) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= nodes;
        } catch (Exception e) {
            return false;
        }
    }

    boolean httpOk(String url) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls until the condition holds; fails with the process's last log lines if it dies or time runs out. */
    private void await(ManagedProcess process, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new StackException(process.name() + " exited while starting. Last lines of " + process.log()
                        + ":\n" + process.tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(process.name() + " was not ready after " + timeout.toSeconds() + " s. Last lines of "
                        + process.log() + ":\n" + process.tail(30));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + process.name());
            }
        }
    }

    /** Starts a process of the stack, in a control group of its own when network faults are on. */
    private ManagedProcess launch(String name, List<String> command, Path workDir, Map<String, String> env, Path log)
            throws IOException {
        Duration clockOffset = clockOffsets.getOrDefault(name, Duration.ZERO);
        Map<String, String> environment = new LinkedHashMap<>(env);
        if (!clockOffset.isZero()) {
            environment.putAll(FakeClock.environment(clockOffset));
        }
        environment.putAll(extraEnvironment.getOrDefault(name, Map.of()));
        return ManagedProcess.start(name, isolation == null ? command : isolation.wrap(name, command), workDir, environment, log);
    }

    private ManagedProcess track(ManagedProcess process) {
        processes.add(process);
        writePids();
        return process;
    }

    private void writePids() {
        try {
            Files.writeString(config.runDir().resolve("pids"), processes.stream()
                    .map(p -> p.pid() + " " + p.name()).collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes a previous launcher left behind (it was killed): they would hold the ports. */
    private void stopLeftovers() {
        Path pids = config.runDir().resolve("pids");
        if (!Files.exists(pids)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(pids)) {
                if (line.isBlank()) {
                    continue;
                }
                long pid = Long.parseLong(line.split(" ")[0]);
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(h -> h.info().commandLine().orElse("").contains(RUN_MARKER + config.runDir()))
                        .ifPresent(h -> {
                            out.println("stopping " + line.split(" ", 2)[1] + " (pid " + pid + ") left by an earlier run");
                            h.destroy();
                            h.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
                            if (h.isAlive()) {
                                h.destroyForcibly();
                            }
                        });
            }
            Files.delete(pids);
        } catch (IOException | RuntimeException e) {
            out.println("warning: could not check processes of an earlier run: " + e.getMessage());
        }
    }

    private void prepareRunDir() {
        try {
            if (!config.resume() && Files.exists(config.runDir())) {
                // a fresh run keeps the credentials: people and scripts already hold them
                Path kept = config.runDir().resolve(HttpCredentials.FOLDER);
                try (Stream<Path> paths = Files.walk(config.runDir())) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        if (!path.startsWith(kept) && !path.equals(config.runDir())) {
                            Files.delete(path);
                        }
                    }
                }
            }
            PrivateFiles.directory(config.runDir());
            Files.createDirectories(config.runDir().resolve("logs"));
        } catch (IOException e) {
            throw new StackException("cannot prepare " + config.runDir() + ": " + e.getMessage(), e);
        }
    }

    private void checkPortsFree() {
        List<Integer> ports = new ArrayList<>(List.of(config.registryPort(), config.registryManagementPort()));
        for (int node = 0; node < config.brokers(); node++) {
            ports.add(config.kafkaPort(node));
            ports.add(config.controllerPort(node));
        }
        for (Service service : config.services()) {
            for (int i = 0; i < config.instancesOf(service); i++) {
                ports.add(config.port(service, i));
            }
        }
        if (config.runs(Service.EXCHANGE_SIMULATOR)) {
            ports.add(config.fixPort());
        }
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new StackException("port " + port + " is in use. Is another stack running? "
                        + "Stop it, or start this one with --port-offset N.");
            }
        }
    }

    private Path home(String relative) {
        Path path = config.home().resolve(relative);
        if (!Files.exists(path)) {
            throw new StackException(path + " is missing: build first (./mvnw package -DskipTests, which ./pipeline does for you)");
        }
        return path;
    }

    private Path logFile(String name) {
        return config.runDir().resolve("logs").resolve(name + ".log");
    }

    private void progress(String what) {
        step++;
        out.printf("[%d/%d] %s (%.1f s)%n", step, steps, what, elapsedSeconds());
    }

    private void detail(String what) {
        out.printf("      %s (%.1f s)%n", what, elapsedSeconds());
    }

    /** Stops the services (together), then the registry, then the broker. */
    @Override
    public void close() {
        List<ManagedProcess> servicesFirst = processes.stream()
                .filter(p -> !isBroker(p) && !p.name().equals("apicurio-registry")).toList();
        stopTogether(servicesFirst, 20);
        stopTogether(processes.stream().filter(p -> p.name().equals("apicurio-registry")).toList(), 20);
        stopTogether(processes.stream().filter(Stack::isBroker).toList(), 30);
        try {
            Files.deleteIfExists(config.runDir().resolve("pids"));
        } catch (IOException e) {
            // nothing left to stop
        }
    }

    public static boolean isBroker(ManagedProcess process) {
        return process.name().equals("kafka") || process.name().matches("kafka-\\d+");
    }

    private void stopTogether(List<ManagedProcess> group, long timeoutSeconds) {
        List<ManagedProcess> alive = group.stream().filter(ManagedProcess::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        out.println("stopping " + alive.stream().map(ManagedProcess::name).collect(Collectors.joining(", ")));
        alive.parallelStream().forEach(p -> p.stop(timeoutSeconds));
    }
}
