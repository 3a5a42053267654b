package trading.launcher.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import trading.launcher.catalog.Deployments;
import trading.launcher.catalog.StrategyCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may do what on Kafka, read from the one definition the Kubernetes deployment applies:
 * the Strimzi {@code KafkaUser} resources of {@code deploy/k8s/base/users.yaml}. The local
 * {@code --secure} stack creates the same users with the same ACLs from it, so the two cannot
 * drift. Only what that file uses is understood (SCRAM-SHA-512 users, simple authorization, allow
 * rules); anything else stops with the resource it is in, rather than being half applied.
 *
 * @param acls per user, what it is allowed
 */
public record KafkaAccess(Map<String, List<AclBinding>> acls) {

    public static final String DEFINITION = "deploy/k8s/base/users.yaml";

    /**
     * The users of {@link #DEFINITION} in {@code home}, and each strategy's user as its Kubernetes
     * file has it (rendered from the catalog, {@link Deployments#kubernetes}).
     */
    public static KafkaAccess load(Path home) {
        Path file = home.resolve(DEFINITION);
        if (!Files.exists(file)) {
            throw new StackException(file + " is missing: it defines the Kafka users and their ACLs");
        }
        Map<String, List<AclBinding>> acls = new LinkedHashMap<>();
        try {
            read(file, Files.readString(file), acls);
            StrategyCatalog catalog = StrategyCatalog.of(home);
            Deployments deployments = new Deployments(home, catalog);
            for (StrategyCatalog.Entry entry : catalog.entries()) {
                read(entry.file(), deployments.kubernetes(entry), acls);
            }
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (acls.isEmpty()) {
            throw new StackException(file + " defines no KafkaUser");
        }
        return new KafkaAccess(acls);
    }

    /** The users of one Strimzi file alone. */
    static KafkaAccess fromFile(Path file) {
        Map<String, List<AclBinding>> acls = new LinkedHashMap<>();
        try {
            read(file, Files.readString(file), acls);
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new KafkaAccess(acls);
    }

    private static void read(Path file, String yaml, Map<String, List<AclBinding>> acls) throws IOException {
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || !"KafkaUser".equals(document.path("kind").asText())) {
                    continue;
                }
                String user = document.path("metadata").path("name").asText();
                acls.put(user, bindings(file, user, document.path("spec")));
            }
        }
    }

    public List<String> users() {
        return List.copyOf(acls.keySet());
    }

    public List<AclBinding> all() {
        return acls.values().stream().flatMap(List::stream).toList();
    }

    private static List<AclBinding> bindings(Path file, String user, JsonNode spec) {
        String where = file + ", KafkaUser " + user + ": ";
        if (!"scram-sha-512".equals(spec.path("authentication").path("type").asText())) {
            throw new StackException(where + "authentication must be scram-sha-512");
        }
        if (!"simple".equals(spec.path("authorization").path("type").asText())) {
            throw new StackException(where + "authorization must be simple");
        }
        String principal = "User:" + user;
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode acl : spec.path("authorization").path("acls")) {
            String kind = acl.path("type").asText("allow");
            if (!kind.equals("allow") && !kind.equals("deny")) {
                throw new StackException(where + "an ACL is allow or deny, found " + kind);
            }
            JsonNode resource = acl.path("resource");
            ResourcePattern pattern = new ResourcePattern(
                    enumOf(ResourceType.class, resource.path("type").asText(), where),
                    resource.path("type").asText().equals("cluster") ? "kafka-cluster" : resource.path("name").asText(),
                    resource.path("patternType").asText("literal").equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL);
            List<String> operations = new ArrayList<>();
            acl.path("operations").forEach(operation -> operations.add(operation.asText()));
            if (acl.has("operation")) {
                operations.add(acl.path("operation").asText());
            }
            if (operations.isEmpty()) {
                throw new StackException(where + "an ACL on " + pattern + " names no operation");
            }
            for (String operation : operations) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, acl.path("host").asText("*"),
                        enumOf(AclOperation.class, operation, where),
                        kind.equals("deny") ? AclPermissionType.DENY : AclPermissionType.ALLOW)));
            }
        }
        return List.copyOf(bindings);
    }

    /** Strimzi's camel case ({@code transactionalId}, {@code DescribeConfigs}) to Kafka's enum names. */
    private static <E extends Enum<E>> E enumOf(Class<E> type, String strimziName, String where) {
        String name = strimziName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new StackException(where + "unknown " + type.getSimpleName() + " '" + strimziName + "'");
        }
    }
}
