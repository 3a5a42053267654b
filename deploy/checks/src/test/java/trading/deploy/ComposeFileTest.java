package trading.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import trading.schema.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker-compose.yml checked without a Docker engine: docker-compose validates it and renders it
 * (anchors and merges resolved), and the rendering is compared with the services' own
 * configuration and packaging.
 */
class ComposeFileTest {

    private static JsonNode compose;

    /** The passwords ./pipeline compose-secrets writes to .env, as stand-ins. */
    private static final String SECRETS = "KAFKA_UI_PASSWORD=stand-in-1\nGRAFANA_ADMIN_PASSWORD=stand-in-2\n";

    /** {@code docker-compose config} with {@code environment} as its .env: exit code, output, errors. */
    private static String[] config(String environment) throws Exception {
        java.nio.file.Path envFile = java.nio.file.Files.createTempFile("compose", ".env");
        try {
            java.nio.file.Files.writeString(envFile, environment);
            Process process;
            try {
                process = new ProcessBuilder("docker-compose", "--env-file", envFile.toString(), "-f", "docker-compose.yml", "config")
                        .directory(ServiceModules.HOME.toFile()).start();
            } catch (IOException e) {
                fail("docker-compose is needed to validate the file (Debian: apt-get install docker-compose; .ci/run installs it)");
                return null;
            }
            String rendered = new String(process.getInputStream().readAllBytes());
            String errors = new String(process.getErrorStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose config timed out");
            return new String[]{Integer.toString(process.exitValue()), rendered, errors};
        } finally {
            java.nio.file.Files.delete(envFile);
        }
    }

    @BeforeAll
    static void validateAndRender() throws Exception {
        String[] result = config(SECRETS);
        assertEquals("0", result[0], "docker-compose rejects the file: " + result[2]);
        compose = new ObjectMapper(new YAMLFactory()).readTree(result[1]);
    }

    /** The container's side of a published port: {@code {target: 8080}}, or {@code "127.0.0.1:8080:8080/tcp"}. */
    private static int containerPort(JsonNode port) {
        if (!port.isTextual()) {
            return port.path("target").asInt();
        }
        String[] parts = port.asText().split("/")[0].split(":");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    @Test
    void withoutItsSecretsComposeStopsAndSaysHowToMakeThem() throws Exception {
        String[] result = config("");
        assertTrue(!result[0].equals("0"), "no password, no start: " + result[1]);
        assertTrue(result[2].contains("run ./pipeline compose-secrets first"), result[2]);
    }

    @Test
    void everyPublishedPortIsOnLoopbackAndKafkaAndTheRegistryAreNotPublished() {
        compose.path("services").fields().forEachRemaining(service -> {
            for (JsonNode port : service.getValue().path("ports")) {
                assertEquals("127.0.0.1", port.path("host_ip").asText(port.isTextual() ? port.asText().split(":")[0] : ""),
                        service.getKey() + " publishes " + port + " beyond this machine");
            }
        });
        for (String hidden : List.of("kafka", "registry")) {
            assertTrue(compose.path("services").path(hidden).path("ports").isMissingNode()
                    || compose.path("services").path(hidden).path("ports").isEmpty(), hidden + " is published");
        }
        assertTrue(compose.path("services").path("exchange-simulator").path("ports").toString().indexOf("9876") < 0,
                "the exchange's FIX port is for order-execution alone");
    }

    @Test
    void noUiKeepsItsImagesDefaultLoginAndEveryServiceHasItsUsers() {
        JsonNode grafana = compose.path("services").path("grafana").path("environment");
        assertEquals("false", grafana.path("GF_AUTH_ANONYMOUS_ENABLED").asText());
        assertEquals("stand-in-2", grafana.path("GF_SECURITY_ADMIN_PASSWORD").asText(), "Grafana's password comes from .env");
        JsonNode kafbat = compose.path("services").path("kafka-ui").path("environment");
        assertEquals("LOGIN_FORM", kafbat.path("AUTH_TYPE").asText());
        assertEquals("stand-in-1", kafbat.path("SPRING_SECURITY_USER_PASSWORD").asText(), "Kafbat's password comes from .env");
        for (String service : ServiceModules.SERVICES) {
            JsonNode node = compose.path("services").path(service);
            assertEquals("/run/secrets/http-users", node.path("environment").path("PIPELINE_HTTP_USERS_FILE").asText(),
                    service + " reads the users file, so the risk login can halt trading");
            assertTrue(node.path("secrets").toString().contains("http-users"), service + " mounts the users file");
        }
        assertTrue(compose.path("secrets").path("http-users").path("file").asText().endsWith("deploy/compose/security/http-users"),
                compose.path("secrets").toString());
    }

    @Test
    void everyEnvironmentVariableOfAServiceSetsOneOfItsProperties() {
        for (String service : ServiceModules.SERVICES) {
            Set<String> known = ServiceModules.envNames(service);
            for (String variable : environment(service)) {
                assertTrue(known.contains(variable), service + ": " + variable + " maps to no property of "
                        + service + "/src/main/resources/application.properties");
            }
        }
    }

    @Test
    void everyLongRunningContainerIsStartedAgainWhenItExits() {
        compose.path("services").fields().forEachRemaining(service -> {
            boolean job = service.getKey().equals("create-topics") || service.getKey().equals("register-schemas");
            assertEquals(job ? "no" : "on-failure", service.getValue().path("restart").asText(),
                    service.getKey() + ": as ./pipeline up's supervisor does (docs/fault-tolerance.md)");
        });
    }

    @Test
    void portsAndHealthChecksAreTheServicesOwn() {
        for (String service : ServiceModules.SERVICES) {
            JsonNode node = compose.path("services").path(service);
            int port = ServiceModules.port(service);
            assertEquals(port, containerPort(node.path("ports").get(0)), service + " port");
            String check = node.path("healthcheck").path("test").toString();
            assertTrue(check.contains("http://localhost:" + port + "/q/health/ready"), service + " health check: " + check);
        }
    }

    @Test
    void oneMultiStageDockerfileBuildsEveryServiceFromTheSources() throws IOException {
        String dockerfile = Files.readString(ServiceModules.HOME.resolve("Dockerfile"));
        // Maven in a builder stage, its local repository a cache mount: no host build, no re-download
        assertTrue(dockerfile.contains("FROM maven:3.9-") && dockerfile.contains(" AS build"), "a Maven builder stage");
        assertTrue(dockerfile.contains("--mount=type=cache,target=/root/.m2"), "the local repository is a cache mount");
        assertTrue(dockerfile.contains("-pl \"$SERVICE\" -am package"), "builds the service's module and what it needs");
        assertTrue(dockerfile.contains("COPY --from=build /src/${SERVICE}/target/quarkus-app/"), "ships the built app");
        String ignored = Files.readString(ServiceModules.HOME.resolve(".dockerignore"));
        assertTrue(ignored.contains("**/target"), "host builds stay out of the build context");
        for (String service : ServiceModules.SERVICES) {
            assertFalse(Files.exists(ServiceModules.HOME.resolve(service + "/Dockerfile")), service + " has no Dockerfile of its own");
            JsonNode build = compose.path("services").path(service).path("build");
            assertEquals(ServiceModules.HOME.toString(), build.path("context").asText(), service + " builds from the root");
            String module = ServiceModules.module(service); // a strategy's is its catalog entry's
            assertEquals(module, build.path("args").path("SERVICE").asText(), service + "'s module");
            assertTrue(Files.isRegularFile(ServiceModules.HOME.resolve(module + "/pom.xml")), module + " is a module");
            String image = ServiceModules.dockerfile(service);
            assertTrue(image.contains("COPY --from=build /src/" + module + "/target/quarkus-app/lib/"), service);
            assertTrue(image.contains("quarkus-run.jar"), service + " runs quarkus-run.jar");
            Matcher expose = Pattern.compile("EXPOSE (\\d+)").matcher(image);
            assertTrue(expose.find(), service + " exposes its port");
            assertEquals(ServiceModules.port(service), Integer.parseInt(expose.group(1)), service + " EXPOSE");
        }
    }

    @Test
    void tracesMetricsAndTheKafkaUiAreWiredToWhatTheServicesExpose() throws IOException {
        JsonNode services = compose.path("services");
        // traces: every service exports to the Jaeger of the file, and links to its UI
        for (String service : ServiceModules.SERVICES) {
            if (ServiceModules.external(service)) {
                continue; // records no spans: it hands each price's trace context on to the orders it makes
            }
            JsonNode env = services.path(service).path("environment");
            assertEquals("http://jaeger:4317", env.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText(), service);
            assertTrue(env.path("PIPELINE_TRACE_UI_URL").asText().contains("{traceId}"), service);
        }
        assertTrue(services.path("jaeger").path("ports").toString().contains("4317"), "Jaeger takes OTLP over gRPC");

        // metrics: Prometheus scrapes /q/metrics of every service on its own port
        JsonNode prometheus = new ObjectMapper(new YAMLFactory()).readTree(
                ServiceModules.HOME.resolve("deploy/compose/prometheus.yml").toFile());
        JsonNode job = prometheus.path("scrape_configs").get(0);
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        String targets = job.path("static_configs").toString();
        for (String service : ServiceModules.SERVICES) {
            assertTrue(targets.contains("\"" + service + ":" + ServiceModules.port(service) + "\""),
                    "Prometheus scrapes " + service + " on " + ServiceModules.port(service));
        }
        assertTrue(services.path("prometheus").path("volumes").toString().contains("deploy/compose/prometheus.yml"));

        // Grafana: its provisioning and dashboards are mounted, and the dashboard asks for the project's meters
        String grafanaVolumes = services.path("grafana").path("volumes").toString();
        assertTrue(grafanaVolumes.contains("/etc/grafana/provisioning"), grafanaVolumes);
        JsonNode dashboard = new ObjectMapper().readTree(
                ServiceModules.HOME.resolve("deploy/compose/grafana/dashboards/pipeline.json").toFile());
        String queries = dashboard.path("panels").findValuesAsText("expr").toString();
        for (String meter : List.of("feed_prices_published_total", "strategy_prices_applied_total",
                "strategy_orders_sent_total", "execution_reports_total", "strategy_tick_to_decision_seconds",
                "execution_tick_to_fill_seconds_bucket", "records_lag", "execution_pnl", "jvm_memory_used_bytes")) {
            assertTrue(queries.contains(meter), "the dashboard shows " + meter);
        }

        // Kafka UI: the maintained Kafbat UI, decoding records through the registry's Confluent API
        JsonNode ui = services.path("kafka-ui");
        assertTrue(ui.path("image").asText().startsWith("ghcr.io/kafbat/kafka-ui:"), ui.path("image").asText());
        assertEquals("http://registry:8080/apis/ccompat/v7", ui.path("environment").path("KAFKA_CLUSTERS_0_SCHEMAREGISTRY").asText());
    }

    @Test
    void theTopicJobCreatesEveryTopicWithItsPartitions() {
        String script = compose.path("services").path("create-topics").path("command").toString();
        for (Topics.Spec topic : Topics.ALL) {
            assertTrue(script.contains(topic.name() + ":" + topic.partitions()), "create-topics makes " + topic);
            if (topic.compacted()) {
                String loop = script.substring(script.indexOf(topic.name() + ":" + topic.partitions()));
                assertTrue(loop.substring(0, loop.indexOf("done")).contains("--config cleanup.policy=compact"),
                        topic.name() + " is created compacted");
            }
        }
    }

    @Test
    void servicesStartAfterTopicsAndSchemas() {
        List<String> stateful = new java.util.ArrayList<>(ServiceModules.STRATEGIES);
        stateful.add("order-execution");
        for (String service : stateful) {
            JsonNode dependsOn = compose.path("services").path(service).path("depends_on");
            assertEquals("service_completed_successfully", dependsOn.path("create-topics").path("condition").asText(), service);
            assertEquals("service_completed_successfully", dependsOn.path("register-schemas").path("condition").asText(), service);
        }
    }

    @Test
    void kafkaWritesItsLogToItsVolume() {
        JsonNode kafka = compose.path("services").path("kafka");
        String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
        assertFalse(logDirs.isEmpty(), "without KAFKA_LOG_DIRS the image logs to /tmp/kraft-combined-logs, inside the container");
        for (String dir : logDirs.split(",")) {
            assertTrue(namedVolumeTargets("kafka").stream().anyMatch(target -> dir.equals(target) || dir.startsWith(target + "/")),
                    "Kafka's log directory " + dir + " is on a named volume, so it outlives the container");
        }
    }

    @Test
    void theRegistryKeepsItsSchemasInKafka() {
        JsonNode registry = compose.path("services").path("registry");
        assertEquals("kafkasql", registry.path("environment").path("APICURIO_STORAGE_KIND").asText(),
                "in-memory storage forgets the schemas (and their ids, which the topics' records carry) on a restart");
        assertEquals(compose.path("services").path(ServiceModules.STRATEGIES.get(0)).path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText(),
                registry.path("environment").path("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS").asText(), "the pipeline's Kafka");
        assertEquals("service_healthy", registry.path("depends_on").path("kafka").path("condition").asText());
    }

    @Test
    void everyVolumeAServiceWritesIsItsImageUsersDirectory() {
        for (String service : ServiceModules.SERVICES) {
            Set<String> owned = ServiceModules.ownedDirectories(service);
            for (String target : namedVolumeTargets(service)) {
                // a new named volume takes the ownership of the image's directory it is mounted on
                assertTrue(owned.contains(target), service + " writes " + target + ", which its Dockerfile does not hand to"
                        + " USER " + ServiceModules.imageUser(service) + " (it does: " + owned + ")");
            }
        }
    }

    @Test
    void memoryLimitsLeaveHeadroomBeyondHeapAndEveryCappedRegion() {
        for (String service : ServiceModules.SERVICES) {
            String limit = compose.path("services").path(service).path("mem_limit").asText();
            assertFalse(limit.isEmpty(), service + " has no mem_limit: its heap would be a share of the host's memory");
            if (ServiceModules.external(service)) {
                continue; // no JVM: nothing sized as a share of the limit
            }
            MemoryBudget budget = MemoryBudget.of(service, MemoryBudget.mebibytes(limit), ServiceModules.imageJavaOptions(service),
                    ServiceModules.rocksDbMiB(service));
            assertTrue(budget.leavesHeadroom(), "less than " + (int) (MemoryBudget.MIN_HEADROOM * 100) + " % headroom: " + budget);
        }
    }

    /** Where a service mounts named volumes (short syntax, as docker-compose config renders it). */
    private static List<String> namedVolumeTargets(String service) {
        List<String> targets = new ArrayList<>();
        for (JsonNode volume : compose.path("services").path(service).path("volumes")) {
            String[] parts = volume.isTextual() ? volume.asText().split(":") : new String[]{volume.path("source").asText(), volume.path("target").asText()};
            if (compose.path("volumes").has(parts[0])) {
                targets.add(parts[1]);
            }
        }
        return targets;
    }

    private static Set<String> environment(String service) {
        Set<String> names = new HashSet<>();
        JsonNode env = compose.path("services").path(service).path("environment");
        env.fieldNames().forEachRemaining(names::add);
        assertTrue(names.contains("KAFKA_BOOTSTRAP_SERVERS"), service + " is told where Kafka is: " + names);
        return names;
    }
}
