package trading.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One overlay of deploy/k8s as kubectl kustomize renders it, each object parsed into the
 * Kubernetes (fabric8) or Strimzi model class of its kind; a field the class does not know fails.
 * The documents are kept as rendered too: a custom resource's model reports the API version of its
 * class, not the one written.
 */
record RenderedOverlay(String overlay, List<HasMetadata> objects, List<JsonNode> documents) {

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("Namespace", Namespace.class), Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("Service", Service.class), Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("Deployment", Deployment.class), Map.entry("StatefulSet", StatefulSet.class),
            Map.entry("Job", Job.class), Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("Kafka", Kafka.class), Map.entry("KafkaNodePool", KafkaNodePool.class),
            Map.entry("KafkaTopic", KafkaTopic.class), Map.entry("KafkaUser", KafkaUser.class),
            Map.entry("PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class));

    private static final ObjectMapper MODEL = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Map<String, RenderedOverlay> RENDERED = new ConcurrentHashMap<>();

    /** The overlay rendered once per test JVM (kubectl takes a second or two). */
    static RenderedOverlay of(String overlay) {
        return RENDERED.computeIfAbsent(overlay, RenderedOverlay::render);
    }

    private static RenderedOverlay render(String overlay) {
        try {
            Process process;
            try {
                process = new ProcessBuilder("kubectl", "kustomize", "deploy/k8s/overlays/" + overlay)
                        .directory(ServiceModules.HOME.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("kubectl is needed to render the overlays (Debian: apt-get install kubernetes-client;"
                        + " .ci/run installs it)");
            }
            byte[] yaml = process.getInputStream().readAllBytes();
            String errors = new String(process.getErrorStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), overlay + " does not render: " + errors);
            List<HasMetadata> objects = new ArrayList<>();
            List<JsonNode> documents = new YAMLMapper().readValues(new YAMLFactory().createParser(yaml), JsonNode.class).readAll();
            for (JsonNode document : documents) {
                String kind = document.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                assertNotNull(type, overlay + ": unexpected kind " + kind);
                try {
                    objects.add(MODEL.treeToValue(document, type));
                } catch (IOException e) {
                    fail(overlay + ": " + kind + " " + document.path("metadata").path("name").asText() + " does not parse: " + e.getMessage());
                }
            }
            return new RenderedOverlay(overlay, objects, documents);
        } catch (IOException e) {
            throw new AssertionError(overlay + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + type.getSimpleName() + " named " + name));
    }

    /** An object kustomize generated from {@code name}: its name carries a hash of its content. */
    <T extends HasMetadata> T generated(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().matches(name + "-[a-z0-9]{10}")).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no generated " + type.getSimpleName() + " " + name
                        + "-<hash> (a configMapGenerator, so that a change rolls the pods)"));
    }

    /** The pod template of every workload, by kind/name. */
    Map<String, PodSpec> pods() {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> pods.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        all(StatefulSet.class).forEach(s -> pods.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        all(Job.class).forEach(j -> pods.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate().getSpec()));
        return pods;
    }
}
