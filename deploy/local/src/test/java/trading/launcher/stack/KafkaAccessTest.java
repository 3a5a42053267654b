package trading.launcher.stack;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.launcher.stack.StackConfig.Service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaAccessTest {

    private static final Path HOME = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();

    @Test
    void theKubernetesDefinitionGivesEveryLocalServiceAUserOfItsOwn() {
        KafkaAccess access = KafkaAccess.load(HOME);
        StackConfig config = new StackConfig(HOME, HOME.resolve("target/none"), false, 0, 1, 1, 1, List.of(), java.util.Map.of());
        for (Service service : config.services()) {
            assertTrue(access.users().contains(service.name()), service.name() + " has a Kafka user");
        }
        // a strategy reused by configuration has a user of its own, limited to its own group and transactions
        List<AclBinding> slow = access.acls().get("strategy-abc-slow");
        assertTrue(slow.stream().anyMatch(b -> b.pattern().resourceType() == ResourceType.GROUP
                && b.pattern().name().equals("trading-strategy.abc-slow")), String.valueOf(slow));
        assertTrue(slow.stream().noneMatch(b -> b.pattern().name().equals("trading-strategy.abc")), String.valueOf(slow));
        assertTrue(access.all().stream().allMatch(b -> b.entry().principal().startsWith("User:")));
    }

    @Test
    void noUserMayDoEverythingAndNoPrefixCoversAnotherServicesNames() {
        KafkaAccess access = KafkaAccess.load(HOME);
        for (AclBinding binding : access.all()) {
            assertTrue(binding.entry().operation() != AclOperation.ALL
                    || binding.entry().permissionType() == org.apache.kafka.common.acl.AclPermissionType.DENY,
                    "All is more than any service needs: " + binding);
            String name = binding.pattern().name();
            assertTrue(binding.pattern().patternType() != PatternType.PREFIXED || name.endsWith("-") || name.endsWith("."),
                    "a prefix must end at a separator, or it covers longer names too (abc covers abc-slow): " + binding);
        }
        // abc's prefixes reach abc-slow's names (abc- begins abc-slow-), so abc is denied those
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.TRANSACTIONAL_ID)) {
            assertTrue(access.acls().get("strategy-abc").stream().anyMatch(b -> b.pattern().resourceType() == type
                    && b.pattern().name().equals("trading-strategy.abc-slow-") && b.pattern().patternType() == PatternType.PREFIXED
                    && b.entry().permissionType() == org.apache.kafka.common.acl.AclPermissionType.DENY),
                    "strategy-abc is denied abc-slow's " + type);
        }
        assertTrue(access.acls().get("strategy-abc-slow").stream()
                .noneMatch(b -> b.entry().permissionType() == org.apache.kafka.common.acl.AclPermissionType.DENY),
                "no other strategy's names begin with abc-slow's");
    }

    @Test
    void strimziNamesBecomeKafkaBindings() {
        KafkaAccess access = KafkaAccess.load(HOME);
        List<AclBinding> abc = access.acls().get("strategy-abc");
        assertTrue(abc.stream().anyMatch(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID
                && b.pattern().patternType() == PatternType.PREFIXED && b.pattern().name().equals("trading-strategy.abc-")
                && b.entry().operation() == AclOperation.WRITE && b.entry().principal().equals("User:strategy-abc")), abc.toString());
        assertTrue(access.acls().get("apicurio-registry").stream()
                .anyMatch(b -> b.entry().operation() == AclOperation.DESCRIBE_CONFIGS));
        // nothing abc may do touches executions or the broker's topics
        assertTrue(abc.stream().noneMatch(b -> b.pattern().name().equals("executions") || b.pattern().name().startsWith("broker.")));
    }

    @Test
    void whatItDoesNotUnderstandStopsWithTheResourceItIsIn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata:
                  name: sneaky
                spec:
                  authentication:
                    type: scram-sha-512
                  authorization:
                    type: simple
                    acls:
                      - resource:
                          type: topic
                          name: prices
                        operations: [Rewrite]
                """);
        StackException error = assertThrows(StackException.class, () -> KafkaAccess.fromFile(file));
        assertTrue(error.getMessage().contains("KafkaUser sneaky") && error.getMessage().contains("Rewrite"), error.getMessage());

        Files.writeString(file, Files.readString(file).replace("operations: [Rewrite]", "operations: [Read]")
                .replace("type: scram-sha-512", "type: tls"));
        error = assertThrows(StackException.class, () -> KafkaAccess.fromFile(file));
        assertTrue(error.getMessage().contains("scram-sha-512"), error.getMessage());

        Files.writeString(file, Files.readString(file).replace("type: tls", "type: scram-sha-512"));
        KafkaAccess access = KafkaAccess.fromFile(file);
        assertEquals(1, access.all().size());
        assertEquals(PatternType.LITERAL, access.all().get(0).pattern().patternType());
        assertEquals("*", access.all().get(0).entry().host());
    }
}
