package trading.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import trading.schema.Topics;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay under deploy/k8s, rendered by kubectl kustomize, parsed into the Kubernetes
 * (fabric8) and Strimzi model classes, and cross-checked with the services: topics, ports, probes,
 * configuration, state, and each KafkaUser's ACLs against what its service reads and writes.
 */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicTheServicesUseExistsWithItsPartitions(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        int replicas = overlay.equals("prod") ? 3 : 1;
        for (Topics.Spec spec : Topics.ALL) {
            KafkaTopic topic = rendered.all(KafkaTopic.class).stream()
                    .filter(t -> spec.name().equals(t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName()))
                    .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no KafkaTopic for " + spec.name()));
            assertEquals(spec.partitions(), topic.getSpec().getPartitions(), spec.name() + " partitions");
            assertEquals(replicas, topic.getSpec().getReplicas(), spec.name() + " replicas");
            assertEquals(String.valueOf(overlay.equals("prod") ? 2 : 1),
                    String.valueOf(topic.getSpec().getConfig().get("min.insync.replicas")), spec.name() + " min.insync.replicas");
            assertEquals("trading", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            assertEquals(spec.compacted() ? "compact" : null, topic.getSpec().getConfig().get("cleanup.policy"),
                    spec.name() + " cleanup policy");
        }
        Kafka kafka = rendered.one(Kafka.class, "trading");
        assertEquals(replicas, rendered.one(KafkaNodePool.class, "dual-role").getSpec().getReplicas());
        assertEquals(String.valueOf(replicas), String.valueOf(kafka.getSpec().getKafka().getConfig().get("default.replication.factor")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceRunsWithItsPortProbesResourcesAndConfiguration(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        ConfigMap config = rendered.generated(ConfigMap.class, "pipeline-config");
        for (String service : ServiceModules.SERVICES) {
            PodSpec pod = ServiceModules.STATELESS.contains(service)
                    ? rendered.one(Deployment.class, service).getSpec().getTemplate().getSpec()
                    : rendered.one(StatefulSet.class, service).getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().get(0);
            String image = container.getImage().substring(0, container.getImage().lastIndexOf(':'));
            assertTrue(image.endsWith("/trading/" + ServiceModules.module(service)), service + " image " + container.getImage());
            int port = ServiceModules.port(service);
            assertEquals(port, container.getPorts().get(0).getContainerPort(), service + " port");
            assertEquals("http", container.getPorts().get(0).getName());
            assertProbe(service, container.getLivenessProbe(), "/q/health/live");
            assertProbe(service, container.getReadinessProbe(), "/q/health/ready");
            assertFalse(container.getResources().getRequests().isEmpty(), service + " resource requests");
            assertFalse(container.getResources().getLimits().isEmpty(), service + " resource limits");

            Set<String> known = ServiceModules.envNames(service);
            Set<String> variables = new HashSet<>(config.getData().keySet());
            // POD_NAME feeds other variables; JAVA_OPTS is read by the image's entrypoint
            container.getEnv().stream().map(EnvVar::getName).filter(n -> !n.equals("POD_NAME") && !n.equals("JAVA_OPTS"))
                    .forEach(variables::add);
            for (String variable : variables) {
                assertTrue(known.contains(variable), overlay + ": " + service + " gets " + variable
                        + ", which maps to no property of its application.properties");
            }
            EnvVar jaas = container.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " has no Kafka credentials"));
            assertEquals(service, jaas.getValueFrom().getSecretKeyRef().getName(), "the Secret Strimzi makes for the KafkaUser");
            rendered.one(KafkaUser.class, service);
        }
        assertEquals("trading-kafka-bootstrap:9093", config.getData().get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("http://apicurio-registry:8080/apis/registry/v3", config.getData().get("PIPELINE_REGISTRY_URL"));
        rendered.one(Service.class, "apicurio-registry");
        rendered.one(Job.class, "register-schemas");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void prometheusScrapesEveryServicesMetricsThroughAPodMonitor(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (String service : ServiceModules.SERVICES) {
            var monitor = rendered.one(io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class, service);
            var template = ServiceModules.STATELESS.contains(service)
                    ? rendered.one(Deployment.class, service).getSpec().getTemplate()
                    : rendered.one(StatefulSet.class, service).getSpec().getTemplate();
            Map<String, String> labels = template.getMetadata().getLabels();
            monitor.getSpec().getSelector().getMatchLabels().forEach((key, value) ->
                    assertEquals(value, labels.get(key), service + "'s PodMonitor selects its pods by " + key));
            var endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
            assertEquals("/q/metrics", endpoint.getPath(), service);
            assertTrue(template.getSpec().getContainers().get(0).getPorts().stream()
                    .anyMatch(port -> port.getName().equals(endpoint.getPort())), service + " has a port named " + endpoint.getPort());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void statefulServicesKeepStateAndAdvertiseAStableName(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<String> stateful = new java.util.ArrayList<>(ServiceModules.STRATEGIES);
        stateful.add("order-execution");
        for (String service : stateful) {
            StatefulSet set = rendered.one(StatefulSet.class, service);
            Service headless = rendered.one(Service.class, set.getSpec().getServiceName());
            assertEquals("None", headless.getSpec().getClusterIP(), service + " has a headless Service");
            assertEquals(set.getSpec().getSelector().getMatchLabels(), headless.getSpec().getSelector());
            Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertEquals("$(POD_NAME)." + headless.getMetadata().getName(), env.get("PIPELINE_ADVERTISED_HOST"));
            PodDisruptionBudget budget = rendered.one(PodDisruptionBudget.class, service);
            assertEquals(set.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
            if (ServiceModules.external(service)) {
                continue; // its state is its changelog topic, restored on assignment: nothing on a volume
            }
            String stateDir = env.get("PIPELINE_STATE_DIR");
            assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(stateDir)), service + " state on a volume");
            assertFalse(set.getSpec().getVolumeClaimTemplates().isEmpty(), service + " has a volume per pod");
            if (service.startsWith("strategy-")) {
                assertEquals("1", env.get("KAFKA_STREAMS_NUM_STANDBY_REPLICAS"), service + " standby replicas");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachKafkaUserMayDoWhatItsServiceDoesAndNoMore(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (Map.Entry<String, ServiceModules.Usage> entry : ServiceModules.USAGE.entrySet()) {
            String service = entry.getKey();
            ServiceModules.Usage usage = entry.getValue();
            List<AclRule> acls = ((KafkaUserAuthorizationSimple) rendered.one(KafkaUser.class, service).getSpec()
                    .getAuthorization()).getAcls();
            Set<String> readable = topics(acls, AclOperation.READ);
            Set<String> writable = topics(acls, AclOperation.WRITE);
            assertEquals(usage.reads(), readable, service + " reads");
            assertEquals(usage.writes(), writable, service + " writes");
            for (String group : usage.groups()) {
                assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleGroupResource g
                        && g.getName().equals(group) && a.getOperations().contains(AclOperation.READ)), service + " group " + group);
            }
            if (usage.applicationId() != null) {
                assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleGroupResource g
                        && g.getName().equals(usage.applicationId()) && a.getOperations().contains(AclOperation.READ)), service + " group");
                assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleTopicResource t
                        && t.getName().equals(usage.applicationId() + "-") && t.getPatternType() == AclResourcePatternType.PREFIX
                        && a.getOperations().containsAll(List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                        AclOperation.DESCRIBE)) && !a.getOperations().contains(AclOperation.ALL)), service + " internal topics");
                assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleTransactionalIdResource t
                        && t.getName().equals(usage.applicationId() + "-") && t.getPatternType() == AclResourcePatternType.PREFIX),
                        service + " transactional ids (exactly-once)");
                // the table above is the service's own list of topics
                Set<String> used = new HashSet<>(usage.reads());
                used.addAll(usage.writes());
                if (!ServiceModules.external(service)) { // (an external strategy's topics are fixed by the contract)
                    assertEquals(Set.of(ServiceModules.properties(service).getProperty("quarkus.kafka-streams.topics").split(",")),
                            used, service + " topics");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaIsReachedOnlyOverTlsWithScramAndEveryClientTrustsTheClusterCa(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Kafka kafka = rendered.one(Kafka.class, "trading");
        var listeners = kafka.getSpec().getKafka().getListeners();
        assertFalse(listeners.isEmpty());
        for (var listener : listeners) {
            assertTrue(listener.isTls(), overlay + ": listener " + listener.getName() + " encrypts");
            assertNotNull(listener.getAuth(), overlay + ": listener " + listener.getName() + " needs a login");
            assertEquals("scram-sha-512", listener.getAuth().getType(), overlay + ": listener " + listener.getName());
        }
        assertEquals("simple", kafka.getSpec().getKafka().getAuthorization().getType(), "ACLs are enforced");
        Map<String, String> config = rendered.generated(ConfigMap.class, "pipeline-config").getData();
        String bootstrap = config.get("KAFKA_BOOTSTRAP_SERVERS");
        assertEquals(listeners.get(0).getPort(), Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)),
                "the services use the TLS listener");
        assertEquals("SASL_SSL", config.get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", config.get("KAFKA_SASL_MECHANISM"));
        assertEquals("PEM", config.get("KAFKA_SSL_TRUSTSTORE_TYPE"));
        String caFile = config.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        assertNotNull(caFile, "the services are told which CA to trust");

        List<String> clients = new java.util.ArrayList<>(ServiceModules.SERVICES);
        clients.add("apicurio-registry");
        for (String client : clients) {
            PodSpec pod = ServiceModules.STATELESS.contains(client) || client.equals("apicurio-registry")
                    ? rendered.one(Deployment.class, client).getSpec().getTemplate().getSpec()
                    : rendered.one(StatefulSet.class, client).getSpec().getTemplate().getSpec();
            var mount = pod.getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> caFile.startsWith(m.getMountPath() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": " + client + " has nothing mounted at " + caFile));
            assertTrue(Boolean.TRUE.equals(mount.getReadOnly()), client + " mounts the CA read-only");
            var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertNotNull(volume.getSecret(), client + ": the CA comes from a Secret");
            // Strimzi's name for the certificate (no key) of the cluster CA of the Kafka "trading"
            assertEquals("trading-cluster-ca-cert", volume.getSecret().getSecretName(), client);
            assertTrue(volume.getSecret().getItems().stream().anyMatch(i -> i.getKey().equals("ca.crt")
                    && caFile.equals(mount.getMountPath() + "/" + i.getPath())), client + " finds ca.crt at " + caFile);
        }
        java.util.Properties registry = new java.util.Properties();
        registry.load(new java.io.StringReader(rendered.generated(ConfigMap.class, "registry-config").getData().get("registry.properties")));
        assertEquals("SASL_SSL", registry.getProperty("apicurio.kafka.common.security.protocol"), "the registry's Kafka clients");
        assertEquals(caFile, registry.getProperty("apicurio.kafka.common.ssl.truststore.location"));
        assertEquals("PEM", registry.getProperty("apicurio.kafka.common.ssl.truststore.type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theDashboardRunsReplicasThatEachReadEverythingAndJoinNoGroup(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Deployment dashboard = rendered.one(Deployment.class, "dashboard");
        assertTrue(dashboard.getSpec().getReplicas() >= 2, overlay + ": several dashboard replicas");
        Container container = dashboard.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        for (String service : List.of("price-feed", "order-execution")) {
            String url = env.get("DASHBOARD_SERVICES_" + ServiceModules.envName(service));
            assertEquals("http://" + service + ":" + ServiceModules.port(service), url, overlay + ": the dashboard asks " + service);
            rendered.one(Service.class, service);
        }
        // every strategy of the catalog, from the ConfigMap generated with it
        String strategies = rendered.generated(ConfigMap.class, "strategy-catalog").getData().get("DASHBOARD_STRATEGIES");
        List<String> expected = new java.util.ArrayList<>();
        for (String service : ServiceModules.STRATEGIES) {
            expected.add("http://" + service + ":" + ServiceModules.port(service));
            rendered.one(Service.class, service);
        }
        assertEquals(String.join(",", expected), strategies, overlay + ": the dashboard asks every strategy");
        assertTrue(container.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null
                && e.getConfigMapRef().getName().startsWith("strategy-catalog-")), overlay + ": the dashboard reads the strategies' addresses");
        assertEquals("ClientIP", rendered.one(Service.class, "dashboard").getSpec().getSessionAffinity(),
                "a page's live connection stays on its replica");
        // no consumer group of its own (it assigns itself every partition), so no replica takes
        // partitions from another and no strategy's group is joined: Describe only, for the lag
        List<AclRule> acls = ((KafkaUserAuthorizationSimple) rendered.one(KafkaUser.class, "dashboard").getSpec()
                .getAuthorization()).getAcls();
        Set<String> described = new HashSet<>();
        for (AclRule acl : acls) {
            if (acl.getResource() instanceof AclRuleGroupResource group) {
                assertEquals(List.of(AclOperation.DESCRIBE), acl.getOperations(), overlay + ": dashboard on group " + group.getName());
                described.add(group.getName() + (group.getPatternType() == AclResourcePatternType.PREFIX ? "*" : ""));
            }
        }
        // its own list, and every strategy's group (trading-strategy.<name>, whatever the catalog holds)
        Set<String> expectedGroups = new HashSet<>(Set.of(ServiceModules.properties("dashboard").getProperty("dashboard.lag-groups").split(",")));
        expectedGroups.add("trading-strategy.*");
        assertEquals(expectedGroups, described, overlay + ": the groups whose lag the dashboard shows");
    }

    private static Set<String> topics(List<AclRule> acls, AclOperation operation) {
        return acls.stream()
                .filter(a -> a.getResource() instanceof AclRuleTopicResource t && t.getPatternType() == AclResourcePatternType.LITERAL)
                .filter(a -> a.getOperations().contains(operation))
                .map(a -> ((AclRuleTopicResource) a.getResource()).getName())
                .collect(Collectors.toSet());
    }

    private static void assertProbe(String service, Probe probe, String path) {
        assertNotNull(probe, service + " probe " + path);
        assertEquals(path, probe.getHttpGet().getPath(), service);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), service + " probe port");
    }
}
