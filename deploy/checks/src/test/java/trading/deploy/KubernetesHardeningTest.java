package trading.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.strimzi.api.kafka.model.common.template.ContainerTemplate;
import io.strimzi.api.kafka.model.common.template.PodTemplate;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What would stop the overlays on a real cluster, checked offline: objects outside the workloads'
 * namespace, pods below the restricted Pod Security Standard, volumes the image's user cannot
 * write, Strimzi resources of an API version (or with fields) Strimzi 1.0 no longer serves,
 * memory limits without headroom, a registry that forgets its schemas, pods that do not spread,
 * settings that do not roll the pods, images without one registry.
 */
class KubernetesHardeningTest {

    private static final String STRIMZI_API = "kafka.strimzi.io/v1";
    /** The volume types the restricted standard allows. */
    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyNamespacedObjectIsInTheWorkloadsNamespace(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Set<String> workloadNamespaces = Stream.concat(rendered.all(StatefulSet.class).stream(), rendered.all(Deployment.class).stream())
                .map(w -> w.getMetadata().getNamespace()).collect(Collectors.toSet());
        assertEquals(1, workloadNamespaces.size(), "every workload in one namespace: " + workloadNamespaces);
        String namespace = workloadNamespaces.iterator().next();
        assertNotNull(namespace, "the workloads name their namespace");
        rendered.one(Namespace.class, namespace);
        for (HasMetadata object : rendered.objects()) {
            if (!(object instanceof Namespace)) {
                assertEquals(namespace, object.getMetadata().getNamespace(),
                        overlay + ": " + object.getKind() + " " + object.getMetadata().getName() + " is not in " + namespace);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodMeetsTheRestrictedPodSecurityStandard(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        assertEquals("restricted", rendered.one(Namespace.class, "trading").getMetadata().getLabels()
                .get("pod-security.kubernetes.io/enforce"), "the cluster enforces it too");
        for (var pod : rendered.pods().entrySet()) {
            assertRestricted(overlay + " " + pod.getKey(), pod.getValue());
        }
        // Strimzi's pods, through the templates it applies to them
        for (KafkaNodePool pool : rendered.all(KafkaNodePool.class)) {
            String who = overlay + " KafkaNodePool/" + pool.getMetadata().getName();
            assertRestrictedTemplate(who, pool.getSpec().getTemplate().getPod(),
                    List.of(pool.getSpec().getTemplate().getKafkaContainer(), pool.getSpec().getTemplate().getInitContainer()));
        }
        var operators = rendered.one(Kafka.class, "trading").getSpec().getEntityOperator().getTemplate();
        assertRestrictedTemplate(overlay + " entity operator", operators.getPod(),
                List.of(operators.getTopicOperatorContainer(), operators.getUserOperatorContainer()));
    }

    private static void assertRestricted(String who, PodSpec pod) {
        assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC()), who + " shares a host namespace");
        for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
            String type = volumeType(volume);
            assertTrue(RESTRICTED_VOLUMES.contains(type), who + ": volume " + volume.getName() + " of type " + type);
        }
        PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
        List<Container> containers = new ArrayList<>(pod.getContainers());
        containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
        for (Container container : containers) {
            String name = who + " container " + container.getName();
            SecurityContext context = container.getSecurityContext();
            assertNotNull(context, name + " has no securityContext");
            assertFalse(Boolean.TRUE.equals(context.getPrivileged()), name + " is privileged");
            assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), name + ": allowPrivilegeEscalation must be false");
            assertDropsAll(name, context.getCapabilities());
            Boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : podContext.getRunAsNonRoot();
            assertEquals(Boolean.TRUE, nonRoot, name + ": runAsNonRoot");
            Long user = context.getRunAsUser() != null ? context.getRunAsUser() : podContext.getRunAsUser();
            assertNotEquals(0L, user, name + " runs as root");
            SeccompProfile seccomp = context.getSeccompProfile() != null ? context.getSeccompProfile() : podContext.getSeccompProfile();
            assertNotNull(seccomp, name + " has no seccomp profile");
            assertTrue(Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType()), name + " seccomp " + seccomp.getType());
            container.getPorts().forEach(port -> assertTrue(port.getHostPort() == null || port.getHostPort() == 0,
                    name + " binds a host port"));
        }
    }

    private static void assertRestrictedTemplate(String who, PodTemplate pod, List<ContainerTemplate> containers) {
        assertNotNull(pod, who + " has no pod template");
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), who + ": runAsNonRoot");
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), who + ": seccomp");
        for (ContainerTemplate container : containers) {
            assertNotNull(container, who + ": a container without a template");
            assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation(), who);
            assertDropsAll(who, container.getSecurityContext().getCapabilities());
        }
    }

    private static void assertDropsAll(String who, Capabilities capabilities) {
        assertNotNull(capabilities, who + " drops no capabilities");
        assertTrue(capabilities.getDrop().contains("ALL"), who + " must drop ALL capabilities");
        assertTrue(Set.of("NET_BIND_SERVICE").containsAll(capabilities.getAdd()), who + " adds " + capabilities.getAdd());
    }

    private static String volumeType(Volume volume) {
        if (volume.getConfigMap() != null) return "configMap";
        if (volume.getCsi() != null) return "csi";
        if (volume.getDownwardAPI() != null) return "downwardAPI";
        if (volume.getEmptyDir() != null) return "emptyDir";
        if (volume.getEphemeral() != null) return "ephemeral";
        if (volume.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (volume.getProjected() != null) return "projected";
        if (volume.getSecret() != null) return "secret";
        return volume.getHostPath() != null ? "hostPath" : "another type";
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyVolumeAServiceWritesIsWritableByItsImagesUser(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (var entry : rendered.pods().entrySet()) {
            PodSpec pod = entry.getValue();
            for (Container container : pod.getContainers()) {
                String service = service(container);
                if (service == null) {
                    continue;
                }
                String who = overlay + " " + entry.getKey();
                long user = ServiceModules.imageUser(service);
                Long runAs = Optional.ofNullable(container.getSecurityContext()).map(SecurityContext::getRunAsUser)
                        .orElse(pod.getSecurityContext().getRunAsUser());
                assertEquals(user, runAs, who + " runs as its image's user");
                assertTrue(Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem()),
                        who + ": a read-only root filesystem, the volumes being where it writes");
                boolean writesTmp = false;
                for (VolumeMount mount : container.getVolumeMounts()) {
                    writesTmp |= mount.getMountPath().equals("/tmp");
                    if (Boolean.TRUE.equals(mount.getReadOnly())) {
                        continue;
                    }
                    boolean claim = pod.getVolumes().stream().noneMatch(v -> v.getName().equals(mount.getName()))
                            || pod.getVolumes().stream().anyMatch(v -> v.getName().equals(mount.getName()) && v.getPersistentVolumeClaim() != null);
                    if (claim) {
                        // block storage is root-owned: fsGroup hands it to the image's user
                        assertEquals(user, pod.getSecurityContext().getFsGroup(), who + ": volume " + mount.getName()
                                + " at " + mount.getMountPath() + " is writable only with fsGroup " + user);
                    }
                }
                // the JVM's files, and RocksDB's native library, are unpacked in java.io.tmpdir
                assertTrue(writesTmp, who + " has a writable /tmp");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void strimziResourcesUseTheV1ApiAndNoFieldItDropped(String overlay) throws ReflectiveOperationException {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<JsonNode> strimziDocuments = rendered.documents().stream()
                .filter(d -> d.path("apiVersion").asText().startsWith("kafka.strimzi.io/")).toList();
        assertTrue(strimziDocuments.size() > 10, "the overlay has its Kafka resources");
        for (JsonNode document : strimziDocuments) {
            assertEquals(STRIMZI_API, document.path("apiVersion").asText(),
                    overlay + " " + document.path("kind").asText() + "/" + document.path("metadata").path("name").asText());
        }
        List<HasMetadata> strimzi = rendered.objects().stream()
                .filter(o -> o instanceof Kafka || o instanceof KafkaNodePool || o instanceof KafkaTopic || o instanceof KafkaUser)
                .toList();
        assertEquals(strimziDocuments.size(), strimzi.size());
        for (HasMetadata resource : strimzi) {
            String who = overlay + " " + resource.getKind() + "/" + resource.getMetadata().getName();
            // v1 drops every property Strimzi's model marks deprecated in v1beta2 (unknown
            // properties already fail when the resource is parsed)
            Set<String> deprecated = new java.util.LinkedHashSet<>();
            deprecatedInUse(resource, resource.getKind(), deprecated);
            assertEquals(Set.of(), deprecated, who + " uses properties Strimzi's v1 API no longer has");
        }
    }

    private static void deprecatedInUse(Object value, String path, Set<String> found) throws ReflectiveOperationException {
        if (value == null || !value.getClass().getPackageName().startsWith("io.strimzi")) {
            if (value instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    deprecatedInUse(item, path + "[" + i++ + "]", found);
                }
            } else if (value instanceof Map<?, ?> map) {
                for (var entry : map.entrySet()) {
                    deprecatedInUse(entry.getValue(), path + "." + entry.getKey(), found);
                }
            }
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            boolean isGetter = getter.getParameterCount() == 0 && getter.getName().startsWith("get")
                    && !getter.getName().equals("getClass") && !getter.getName().equals("getAdditionalProperties");
            if (!isGetter || java.lang.reflect.Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            Object property;
            try {
                property = getter.invoke(value);
            } catch (InvocationTargetException e) {
                continue;
            }
            if (property == null || (property instanceof Collection<?> c && c.isEmpty()) || (property instanceof Map<?, ?> m && m.isEmpty())) {
                continue;
            }
            String name = path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (getter.isAnnotationPresent(Deprecated.class)) {
                found.add(name);
            }
            deprecatedInUse(property, name, found);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void memoryLimitsLeaveHeadroomBeyondHeapAndEveryCappedRegion(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (var entry : rendered.pods().entrySet()) {
            for (Container container : entry.getValue().getContainers()) {
                String who = overlay + " " + entry.getKey();
                var limit = container.getResources().getLimits().get("memory");
                assertNotNull(limit, who + " has no memory limit");
                long limitMiB = MemoryBudget.mebibytes(limit.toString());
                Map<String, String> env = env(container);
                String service = service(container);
                MemoryBudget budget;
                if (service != null && ServiceModules.external(service)) {
                    continue; // no JVM: nothing sized as a share of the limit
                } else if (service != null) {
                    String options = env.getOrDefault("JAVA_OPTS", ServiceModules.imageJavaOptions(service));
                    long rocksDb = Long.parseLong(env.getOrDefault("PIPELINE_ROCKSDB_MEMORY_MB",
                            String.valueOf(ServiceModules.rocksDbMiB(service))));
                    if (entry.getKey().startsWith("Job/")) {
                        continue; // a one-shot registration with the JVM's defaults: no state, no RocksDB
                    }
                    budget = MemoryBudget.of(who, limitMiB, options, rocksDb);
                } else {
                    // the registry's image (run-java): JAVA_MAX_MEM_RATIO is its heap share
                    assertNotNull(env.get("JAVA_MAX_MEM_RATIO"), who + " sets no heap share");
                    budget = MemoryBudget.of(who, limitMiB, "-XX:MaxRAMPercentage=" + env.get("JAVA_MAX_MEM_RATIO") + " "
                            + env.getOrDefault("JAVA_OPTS_APPEND", ""), 0);
                }
                assertTrue(budget.leavesHeadroom(), "less than " + (int) (MemoryBudget.MIN_HEADROOM * 100)
                        + " % headroom: " + budget);
            }
        }
        for (KafkaNodePool pool : rendered.all(KafkaNodePool.class)) {
            long limit = MemoryBudget.mebibytes(pool.getSpec().getResources().getLimits().get("memory").toString());
            long heap = MemoryBudget.mebibytes(pool.getSpec().getJvmOptions().getXmx());
            assertTrue(heap <= limit / 2, "Kafka's heap " + heap + " MiB leaves the page cache half of " + limit + " MiB");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRegistryKeepsItsSchemasInKafkaWithItsOwnUserAndTopics(String overlay) throws IOException {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Deployment registry = rendered.one(Deployment.class, "apicurio-registry");
        Container container = registry.getSpec().getTemplate().getSpec().getContainers().get(0);
        ConfigMap config = rendered.generated(ConfigMap.class, "registry-config");
        String file = env(container).get("QUARKUS_CONFIG_LOCATIONS");
        assertNotNull(file, "the registry reads its settings file");
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume at " + file));
        Volume volume = registry.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertEquals(config.getMetadata().getName(), volume.getConfigMap().getName());
        Properties settings = new Properties();
        settings.load(new StringReader(config.getData().get(file.substring(file.lastIndexOf('/') + 1))));
        assertEquals("kafkasql", settings.getProperty("apicurio.storage.kind"), "in-memory storage forgets every schema on a restart");
        assertEquals(rendered.generated(ConfigMap.class, "pipeline-config").getData().get("KAFKA_BOOTSTRAP_SERVERS"),
                settings.getProperty("apicurio.kafkasql.bootstrap.servers"));
        assertEquals("SCRAM-SHA-512", settings.getProperty("apicurio.kafka.common.sasl.mechanism"));
        assertEquals("${KAFKA_SASL_JAAS_CONFIG}", settings.getProperty("apicurio.kafka.common.sasl.jaas.config"));
        assertEquals("apicurio-registry", container.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());

        List<AclRule> acls = ((KafkaUserAuthorizationSimple) rendered.one(KafkaUser.class, "apicurio-registry").getSpec()
                .getAuthorization()).getAcls();
        for (String name : List.of("kafkasql-journal", "kafkasql-snapshots", "registry-events")) {
            KafkaTopic topic = rendered.one(KafkaTopic.class, name);
            // the registry refuses topics that may delete its journal
            assertEquals("-1", String.valueOf(topic.getSpec().getConfig().get("retention.ms")), name);
            assertEquals("-1", String.valueOf(topic.getSpec().getConfig().get("retention.bytes")), name);
            assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleTopicResource t && t.getName().equals(name)
                    && a.getOperations().containsAll(List.of(AclOperation.READ, AclOperation.WRITE))), "the registry uses " + name);
        }
        assertEquals("false", settings.getProperty("apicurio.kafkasql.topic.auto-create"), "the topics are KafkaTopics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void statefulPodsSpreadOverNodesAndStartSlowlyWithoutBeingKilled(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        boolean strict = overlay.equals("prod");
        for (String service : PEERED) {
            StatefulSet set = rendered.one(StatefulSet.class, service);
            PodSpec pod = set.getSpec().getTemplate().getSpec();
            TopologySpreadConstraint byNode = pod.getTopologySpreadConstraints().stream()
                    .filter(c -> c.getTopologyKey().equals("kubernetes.io/hostname")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " does not spread over nodes"));
            assertEquals(set.getSpec().getSelector().getMatchLabels(), byNode.getLabelSelector().getMatchLabels(), service);
            assertEquals(strict ? "DoNotSchedule" : "ScheduleAnyway", byNode.getWhenUnsatisfiable(),
                    overlay + ": " + service + "'s standby must be on another node than its active copy");
            assertTrue(pod.getTopologySpreadConstraints().stream().anyMatch(c -> c.getTopologyKey().equals("topology.kubernetes.io/zone")),
                    service + " spreads over zones");
        }
        KafkaNodePool pool = rendered.one(KafkaNodePool.class, "dual-role");
        TopologySpreadConstraint brokers = pool.getSpec().getTemplate().getPod().getTopologySpreadConstraints().stream()
                .filter(c -> c.getTopologyKey().equals("kubernetes.io/hostname")).findFirst()
                .orElseThrow(() -> new AssertionError("the Kafka nodes do not spread over nodes"));
        assertEquals(strict ? "DoNotSchedule" : "ScheduleAnyway", brokers.getWhenUnsatisfiable());
        if (strict) {
            assertEquals("topology.kubernetes.io/zone", rendered.one(Kafka.class, "trading").getSpec().getKafka().getRack().getTopologyKey(),
                    "brokers know their zone, so replicas spread over zones");
        }
        for (var entry : rendered.pods().entrySet()) {
            if (entry.getKey().startsWith("Job/")) {
                continue;
            }
            for (Container container : entry.getValue().getContainers()) {
                assertNotNull(container.getStartupProbe(), overlay + " " + entry.getKey() + " has no startup probe");
                Integer delay = container.getLivenessProbe().getInitialDelaySeconds();
                assertTrue(delay == null || delay == 0, entry.getKey() + ": the startup probe, not a guessed delay, holds the liveness probe");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void settingsRollThePodsAndImagesComeFromOneRegistry(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Set<String> configMaps = rendered.all(ConfigMap.class).stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> registries = new HashSet<>();
        for (var entry : rendered.pods().entrySet()) {
            PodSpec pod = entry.getValue();
            List<String> used = new ArrayList<>();
            pod.getContainers().forEach(c -> Optional.ofNullable(c.getEnvFrom()).orElse(List.of()).stream()
                    .filter(e -> e.getConfigMapRef() != null).forEach(e -> used.add(e.getConfigMapRef().getName())));
            Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream().filter(v -> v.getConfigMap() != null)
                    .forEach(v -> used.add(v.getConfigMap().getName()));
            for (String name : used) {
                assertTrue(configMaps.contains(name), entry.getKey() + " uses ConfigMap " + name + ", which the overlay does not have");
                assertTrue(name.matches(".+-[a-z0-9]{10}"), entry.getKey() + " uses " + name
                        + ", whose name does not change with its content: a changed setting would not roll the pods");
            }
            for (Container container : pod.getContainers()) {
                String image = container.getImage();
                String tag = image.substring(image.lastIndexOf(':') + 1);
                assertTrue(image.lastIndexOf(':') > image.lastIndexOf('/') && !tag.equals("latest"),
                        entry.getKey() + " image " + image + " has no fixed tag");
                if (service(container) != null) {
                    assertTrue(image.contains("/trading/"), image);
                    registries.add(image.substring(0, image.indexOf("/trading/")));
                }
            }
        }
        assertEquals(1, registries.size(), overlay + ": the pipeline's images come from one registry, set in the overlay: " + registries);
        assertFalse(registries.iterator().next().isBlank());
    }

    /** The Secret that holds the HTTP users file and the peer secrets (docs/security.md). */
    private static final String HTTP_SECRET = "pipeline-http";
    /** The services that run more than one instance, which ask each other for local answers. */
    private static final Set<String> PEERED = peered();

    private static Set<String> peered() {
        Set<String> peered = new java.util.TreeSet<>(ServiceModules.STRATEGIES);
        peered.add("order-execution");
        return peered;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void loginsAndPeerSecretsComeFromASecretMountedReadOnly(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Set<String> checked = new HashSet<>();
        for (var entry : rendered.pods().entrySet()) {
            PodSpec pod = entry.getValue();
            for (Container container : pod.getContainers()) {
                String service = service(container);
                if (service == null || entry.getKey().startsWith("Job/")) {
                    continue; // the schema registration Job serves no HTTP
                }
                String who = overlay + " " + entry.getKey();
                String usersFile = env(container).get("PIPELINE_HTTP_USERS_FILE");
                assertNotNull(usersFile, who + " names its HTTP users file (without it no one can halt trading)");
                VolumeMount mount = container.getVolumeMounts().stream()
                        .filter(m -> usersFile.startsWith(m.getMountPath() + "/")).findFirst().orElse(null);
                assertNotNull(mount, who + ": " + usersFile + " is on a mounted volume");
                assertTrue(Boolean.TRUE.equals(mount.getReadOnly()), who + ": the users file is mounted read-only");
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
                assertNotNull(volume.getSecret(), who + ": the users file comes from a Secret, not a ConfigMap or the image");
                assertEquals(HTTP_SECRET, volume.getSecret().getSecretName(), who);
                assertTrue(volume.getSecret().getItems().stream().anyMatch(item ->
                        usersFile.equals(mount.getMountPath() + "/" + item.getPath())), who + ": the Secret's item is the file named");
                EnvVar peer = Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                        .filter(e -> e.getName().equals("PIPELINE_PEER_SECRET")).findFirst().orElse(null);
                if (PEERED.contains(service)) {
                    assertNotNull(peer, who + " has a peer secret for its instances' local answers");
                    assertNull(peer.getValue(), who + ": the peer secret is not written in the manifest");
                    assertEquals(HTTP_SECRET, peer.getValueFrom().getSecretKeyRef().getName(), who);
                    assertEquals("peer-" + service, peer.getValueFrom().getSecretKeyRef().getKey(),
                            who + ": each service has a secret of its own");
                }
                checked.add(service);
            }
        }
        assertEquals(new HashSet<>(ServiceModules.SERVICES), checked, overlay + ": every service was checked");
    }

    /**
     * The pipeline service a container runs (named after it, from an image trading/&lt;module&gt;:
     * several strategies may run one module's image), or null.
     */
    private static String service(Container container) {
        String image = container.getImage();
        if (!image.contains("trading/")) {
            return null;
        }
        String name = container.getName();
        if (ServiceModules.SERVICES.contains(name) && image.contains("trading/" + ServiceModules.module(name) + ":")) {
            return name;
        }
        // another container of a service's image (the schema registration Job runs order-execution's)
        String module = image.substring(image.indexOf("trading/") + "trading/".length());
        module = module.contains(":") ? module.substring(0, module.indexOf(':')) : module;
        return ServiceModules.SERVICES.contains(module) ? module : null;
    }

    private static Map<String, String> env(Container container) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b));
    }
}
