package trading.launcher.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import trading.launcher.catalog.StrategyCatalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack runs: its folder, its ports and what the feed simulates. Every port is
 * the default plus {@code portOffset}, so a second stack (the integration test) can run beside one
 * a user started.
 *
 * @param home       the project's root folder (the modules' build outputs are found from it)
 * @param runDir     data, logs and state of this run
 * @param resume     keep the previous run's data instead of starting fresh
 * @param portOffset added to every port
 * @param instances  instances of each strategy service
 * @param feedRate   prices per second
 * @param feedSeed   the simulated market's seed
 * @param javaOptions extra JVM options for the four services
 * @param feedProperties extra configuration of price-feed (e.g. replay mode)
 * @param broker     order-execution's broker: {@code paper}, or {@code fix} with the exchange simulator
 * @param exchangeProperties extra configuration of exchange-simulator (fill parts, delay, rejections)
 * @param secure     Kafka with TLS, SCRAM and per-service ACLs ({@code --secure}) instead of plain text
 * @param brokers    Kafka nodes (1, or 3 for a replicated cluster: {@code --brokers 3})
 * @param listen     the address the services' HTTP ports listen on: {@link #LOOPBACK} unless
 *                   {@code --listen} opens them; Kafka, the registry and the FIX port stay on loopback
 */
public record StackConfig(Path home, Path runDir, boolean resume, int portOffset, int instances, double feedRate,
                          long feedSeed, List<String> javaOptions, java.util.Map<String, String> feedProperties,
                          String broker, java.util.Map<String, String> exchangeProperties, boolean secure, int brokers,
                          String listen) {

    /**
     * JVM options for stacks that check behaviour, not speed (the end-to-end tests, chaos): only
     * the first JIT tier (C1). Twelve services starting at once on two cores spend most of their
     * start compiling; with C1 alone a stack was up in 47 s instead of 74 s, and filled its first
     * order at 48 s instead of 78 s (./pipeline up, 2026-12-07). Peak speed is C2's, so bench and
     * {@code ./pipeline up} keep the default.
     */
    public static final List<String> QUICK_START_JVM = List.of("-XX:TieredStopAtLevel=1");

    /** Where a local stack listens unless told otherwise: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    /** A stack listening on loopback. */
    public StackConfig(Path home, Path runDir, boolean resume, int portOffset, int instances, double feedRate,
                       long feedSeed, List<String> javaOptions, java.util.Map<String, String> feedProperties,
                       String broker, java.util.Map<String, String> exchangeProperties, boolean secure, int brokers) {
        this(home, runDir, resume, portOffset, instances, feedRate, feedSeed, javaOptions, feedProperties, broker,
                exchangeProperties, secure, brokers, LOOPBACK);
    }


    /** A stack on one Kafka node. */
    public StackConfig(Path home, Path runDir, boolean resume, int portOffset, int instances, double feedRate,
                       long feedSeed, List<String> javaOptions, java.util.Map<String, String> feedProperties,
                       String broker, java.util.Map<String, String> exchangeProperties, boolean secure) {
        this(home, runDir, resume, portOffset, instances, feedRate, feedSeed, javaOptions, feedProperties, broker,
                exchangeProperties, secure, 1);
    }

    public static final String PAPER = "paper";
    public static final String FIX = "fix";

    /** A stack on the paper broker. */
    public StackConfig(Path home, Path runDir, boolean resume, int portOffset, int instances, double feedRate,
                       long feedSeed, List<String> javaOptions, java.util.Map<String, String> feedProperties) {
        this(home, runDir, resume, portOffset, instances, feedRate, feedSeed, javaOptions, feedProperties, PAPER,
                java.util.Map.of(), false);
    }

    /** Whether the broker of the run in {@code runDir} was started with {@code --secure}. */
    public static boolean ranSecure(Path runDir) {
        Path properties = runDir.resolve("kafka/server.properties");
        if (!java.nio.file.Files.exists(properties)) {
            properties = runDir.resolve("kafka-1/server.properties"); // a cluster of several nodes
        }
        try {
            return java.nio.file.Files.exists(properties)
                    && java.nio.file.Files.readString(properties).contains("SASL_SSL");
        } catch (java.io.IOException e) {
            throw new StackException("cannot read " + properties + ": " + e.getMessage(), e);
        }
    }

    /** The same stack with Kafka locked ({@code secure}) or not. */
    public StackConfig withSecure(boolean secure) {
        return new StackConfig(home, runDir, resume, portOffset, instances, feedRate, feedSeed, javaOptions,
                feedProperties, broker, exchangeProperties, secure, brokers, listen);
    }

    /** The same stack with its services' HTTP ports on {@code address} ({@code --listen}). */
    public StackConfig withListen(String address) {
        return new StackConfig(home, runDir, resume, portOffset, instances, feedRate, feedSeed, javaOptions,
                feedProperties, broker, exchangeProperties, secure, brokers, address);
    }

    /** The same stack on {@code brokers} Kafka nodes. */
    public StackConfig withBrokers(int brokers) {
        return new StackConfig(home, runDir, resume, portOffset, instances, feedRate, feedSeed, javaOptions,
                feedProperties, broker, exchangeProperties, secure, brokers, listen);
    }

    /**
     * What the launcher's own Kafka clients (admin, the bench's and the checks' producers and
     * consumers) need: the bootstrap servers and, on a secure stack, the launcher's super user.
     */
    public java.util.Map<String, Object> kafkaClient() {
        java.util.Map<String, Object> properties = new java.util.HashMap<>();
        properties.put("bootstrap.servers", bootstrapServers());
        if (secure) {
            properties.putAll(KafkaCredentials.existing(runDir).clientProperties(KafkaCredentials.ADMIN));
        }
        return properties;
    }

    /** {@link #kafkaClient()} plus {@code more}. */
    public java.util.Map<String, Object> kafkaClient(java.util.Map<String, ?> more) {
        java.util.Map<String, Object> properties = kafkaClient();
        properties.putAll(more);
        return properties;
    }

    /**
     * An admin client that gives up on a request after {@code apiTimeout} (each try after half of
     * it, at most 5 s): the launcher asks a cluster that may be starting, or have a node down, and
     * must move on to ask again rather than wait a minute on Kafka's defaults.
     */
    public Admin admin(Duration apiTimeout) {
        return Admin.create(adminProperties(apiTimeout));
    }

    /** {@link #admin(Duration)} asking only {@code node}, which may be the only one up. */
    public Admin adminOfNode(int node, Duration apiTimeout) {
        Map<String, Object> alone = adminProperties(apiTimeout);
        alone.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafkaPort(node));
        return Admin.create(alone);
    }

    private Map<String, Object> adminProperties(Duration apiTimeout) {
        int api = Math.toIntExact(apiTimeout.toMillis());
        return kafkaClient(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(5000, api / 2),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, api));
    }

    /** The same stack, but keeping the data of the run before (what {@code --resume} does). */
    public StackConfig resumed() {
        return new StackConfig(home, runDir, true, portOffset, instances, feedRate, feedSeed, javaOptions,
                feedProperties, broker, exchangeProperties, secure, brokers, listen);
    }

    /** Whether this stack runs {@code service} (the exchange simulator only with the FIX broker). */
    public boolean runs(Service service) {
        return service != Service.EXCHANGE_SIMULATOR || FIX.equals(broker);
    }

    public int fixPort() {
        return FIX_PORT + portOffset;
    }

    public static final int KAFKA_PORT = 9092;
    public static final int CONTROLLER_PORT = 9093;
    public static final int REGISTRY_PORT = 8085;
    public static final int REGISTRY_MANAGEMENT_PORT = 9005;
    /** Instance i of a service listens on its base port + 100 * i. */
    public static final int INSTANCE_PORT_STEP = 100;
    /** Where {@code ./pipeline replay} runs its own price-feed beside a running stack. */
    public static final int REPLAY_FEED_PORT = 8089;
    /** Where the exchange simulator accepts FIX sessions. */
    public static final int FIX_PORT = 9876;

    public int kafkaPort() {
        return kafkaPort(0);
    }

    public int controllerPort() {
        return controllerPort(0);
    }

    /** Node n (0-based) of the cluster takes clients on 9092 + 2n and its controller quorum on 9093 + 2n. */
    public int kafkaPort(int node) {
        return KAFKA_PORT + 2 * node + portOffset;
    }

    public int controllerPort(int node) {
        return CONTROLLER_PORT + 2 * node + portOffset;
    }

    /** How many copies of each partition, and how many must have a write before it is acknowledged. */
    public int replicationFactor() {
        return Math.min(brokers, 3);
    }

    public int minInsyncReplicas() {
        return brokers >= 3 ? 2 : 1;
    }

    public int registryPort() {
        return REGISTRY_PORT + portOffset;
    }

    public int registryManagementPort() {
        return REGISTRY_MANAGEMENT_PORT + portOffset;
    }

    public String bootstrapServers() {
        StringBuilder servers = new StringBuilder();
        for (int node = 0; node < brokers; node++) {
            servers.append(node == 0 ? "" : ",").append("localhost:").append(kafkaPort(node));
        }
        return servers.toString();
    }

    public String registryUrl() {
        return "http://localhost:" + registryPort() + "/apis/registry/v3";
    }

    public int port(Service service, int instance) {
        return service.basePort() + portOffset + INSTANCE_PORT_STEP * instance;
    }

    public String serviceUrl(Service service, int instance) {
        return "http://localhost:" + port(service, instance);
    }

    /** The strategies of the catalog ({@code strategies/}), each as a service. */
    public List<Service> strategies() {
        return StrategyCatalog.of(home).entries().stream().map(Service::of).toList();
    }

    /** Strategy {@code name} of the catalog, as a service. */
    public Service strategy(String name) {
        return Service.of(StrategyCatalog.of(home).get(name));
    }

    /** Every service this stack knows, in start order: the exchange, order-execution, the strategies, the feed, the dashboard. */
    public List<Service> services() {
        List<Service> all = new java.util.ArrayList<>(List.of(Service.EXCHANGE_SIMULATOR, Service.ORDER_EXECUTION));
        all.addAll(strategies());
        all.addAll(List.of(Service.PRICE_FEED, Service.DASHBOARD));
        return all;
    }

    /** How many instances of {@code service} this stack runs (none of the exchange on the paper broker). */
    public int instancesOf(Service service) {
        return !runs(service) ? 0 : service.scalable() ? instances : 1;
    }

    /**
     * A service: its name (its processes are called this, with {@code -N} per instance when it
     * scales), the module whose packaged app runs it, its base port, and for a strategy its catalog
     * entry.
     */
    public record Service(String name, String module, int basePort, boolean scalable, StrategyCatalog.Entry strategy) {

        public static final Service PRICE_FEED = new Service("price-feed", "price-feed", 8080, false, null);
        public static final Service ORDER_EXECUTION = new Service("order-execution", "order-execution", 8083, true, null);
        public static final Service EXCHANGE_SIMULATOR = new Service("exchange-simulator", "exchange-simulator", 8084, false, null);
        public static final Service DASHBOARD = new Service("dashboard", "dashboard", 8090, false, null);

        /** The service that runs a strategy of the catalog. */
        public static Service of(StrategyCatalog.Entry strategy) {
            return new Service(strategy.serviceName(), strategy.module(), strategy.httpPort(), true, strategy);
        }

        public boolean isStrategy() {
            return strategy != null;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
