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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker-compose.yml checked without a Docker engine: docker-compose validates it and renders it
 * (anchors and merges resolved), and the rendering is compared with the services' own
 * configuration and packaging.
 */
class ComposeFileTest {

    private static JsonNode compose;

    @BeforeAll
    static void validateAndRender() throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config")
                    .directory(ServiceModules.HOME.toFile()).start();
        } catch (IOException e) {
            fail("docker-compose is needed to validate the file (Debian: apt-get install docker-compose; .ci/run installs it)");
            return;
        }
        byte[] rendered = process.getInputStream().readAllBytes();
        String errors = new String(process.getErrorStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose config timed out");
        assertEquals(0, process.exitValue(), "docker-compose rejects the file: " + errors);
        compose = new ObjectMapper(new YAMLFactory()).readTree(rendered);
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
    void portsAndHealthChecksAreTheServicesOwn() {
        for (String service : ServiceModules.SERVICES) {
            JsonNode node = compose.path("services").path(service);
            int port = ServiceModules.port(service);
            assertEquals(port, node.path("ports").get(0).path("target").asInt(), service + " port");
            String check = node.path("healthcheck").path("test").toString();
            assertTrue(check.contains("http://localhost:" + port + "/q/health/ready"), service + " health check: " + check);
        }
    }

    @Test
    void eachDockerfileShipsThePackagedAppOnItsPort() throws IOException {
        for (String service : ServiceModules.SERVICES) {
            Path module = ServiceModules.HOME.resolve(service);
            String dockerfile = Files.readString(module.resolve("Dockerfile"));
            assertTrue(dockerfile.contains("COPY target/quarkus-app/lib/"), service + " copies the app's libraries");
            assertTrue(dockerfile.contains("COPY target/quarkus-app/*.jar"), service + " copies quarkus-run.jar");
            assertTrue(dockerfile.contains("quarkus-run.jar"), service + " runs quarkus-run.jar");
            Matcher expose = Pattern.compile("EXPOSE (\\d+)").matcher(dockerfile);
            assertTrue(expose.find(), service + " exposes its port");
            assertEquals(ServiceModules.port(service), Integer.parseInt(expose.group(1)), service + " EXPOSE");
            // what the Dockerfile copies is what ./mvnw package produced
            assertTrue(Files.isRegularFile(module.resolve("target/quarkus-app/quarkus-run.jar")), service + " is packaged");
            assertTrue(Files.isDirectory(module.resolve("target/quarkus-app/lib/main")), service + " has its libraries");
            assertEquals(module.toString(), compose.path("services").path(service).path("build").path("context").asText(),
                    service + " is built from its module");
        }
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
        for (String service : Set.of("strategy-abc", "strategy-xyz", "order-execution")) {
            JsonNode dependsOn = compose.path("services").path(service).path("depends_on");
            assertEquals("service_completed_successfully", dependsOn.path("create-topics").path("condition").asText(), service);
            assertEquals("service_completed_successfully", dependsOn.path("register-schemas").path("condition").asText(), service);
        }
    }

    private static Set<String> environment(String service) {
        Set<String> names = new HashSet<>();
        JsonNode env = compose.path("services").path(service).path("environment");
        env.fieldNames().forEachRemaining(names::add);
        assertTrue(names.contains("KAFKA_BOOTSTRAP_SERVERS"), service + " is told where Kafka is: " + names);
        return names;
    }
}
