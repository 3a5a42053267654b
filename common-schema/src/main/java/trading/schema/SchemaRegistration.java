package trading.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import trading.schema.kafka.RegistrySerdes;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the pipeline's value schemas in Apicurio Registry (v3 API) under the names the serdes
 * look up ({@code <topic>-value} in group {@code default}), each with a BACKWARD compatibility rule,
 * so that a producer can only evolve a contract in ways its consumers can still read.
 */
public final class SchemaRegistration {

    public static final String GROUP = "default";
    public static final String COMPATIBILITY = "BACKWARD";

    /** Artifact id per value schema: the topic-id strategy of the serdes. */
    public static Map<String, Schema> valueSchemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(Topics.PRICES + "-value", Price.getClassSchema());
        schemas.put(Topics.ORDERS + "-value", Order.getClassSchema());
        schemas.put(Topics.EXECUTIONS + "-value", ExecutionReport.getClassSchema());
        schemas.put(Topics.BROKER_ORDERS + "-value", Order.getClassSchema());
        schemas.put(Topics.BROKER_EVENTS + "-value", BrokerEvent.getClassSchema());
        schemas.put(Topics.TRADING_CONTROL + "-value", TradingControl.getClassSchema());
        return schemas;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One valid record per contract, only for registering its schema. */
    private static final Order SAMPLE_ORDER = Order.newBuilder().setOrderId("sample").setStrategy("sample")
            .setTicker("SAMPLE").setSide(Side.BUY).setOrderType(OrderType.MARKET).setQuantity(Decimals.toWire(BigDecimal.ONE))
            .setReferencePrice(Decimals.toWire(BigDecimal.ONE)).setPriceSource("schema-registration")
            .setPriceSequence(1).setPriceEventTime(Instant.EPOCH).setDecisionTime(Instant.EPOCH).build();

    private static final Map<String, SpecificRecord> SAMPLES = Map.of(
            Topics.PRICES + "-value", Price.newBuilder().setTicker("SAMPLE").setPrice(Decimals.toWire(BigDecimal.ONE))
                    .setSize(Decimals.toWire(BigDecimal.ONE)).setEventTime(Instant.EPOCH).setSequence(1)
                    .setSource("schema-registration").build(),
            Topics.ORDERS + "-value", SAMPLE_ORDER,
            Topics.BROKER_ORDERS + "-value", SAMPLE_ORDER,
            Topics.BROKER_EVENTS + "-value", BrokerEvent.newBuilder().setOrderId("sample").setTicker("SAMPLE")
                    .setType(BrokerEventType.SENT).setCumulativeQuantity(Decimals.toWire(BigDecimal.ZERO))
                    .setBroker("fix").setEventTime(Instant.EPOCH).build(),
            Topics.TRADING_CONTROL + "-value", TradingControl.newBuilder().setHalted(false)
                    .setChangedBy("schema-registration").setChangedAt(Instant.EPOCH).build(),
            Topics.EXECUTIONS + "-value", ExecutionReport.newBuilder().setOrderId("sample").setStrategy("sample")
                    .setTicker("SAMPLE").setSide(Side.BUY).setStatus(ExecutionStatus.NEW)
                    .setQuantity(Decimals.toWire(BigDecimal.ONE)).setFilledQuantity(Decimals.toWire(BigDecimal.ZERO))
                    .setReferencePrice(Decimals.toWire(BigDecimal.ONE)).setPriceSequence(1).setBroker("paper")
                    .setDecisionTime(Instant.EPOCH).setReportTime(Instant.EPOCH).build());

    private final URI apiBase;
    private final String registryUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param apiBase the v3 API, e.g. {@code http://localhost:8085/apis/registry/v3} */
    public SchemaRegistration(String apiBase) {
        this.apiBase = URI.create(apiBase.endsWith("/") ? apiBase : apiBase + "/");
        this.registryUrl = apiBase;
    }

    /**
     * Registers the contracts in the registry given as the only argument (its v3 API), as the
     * deployment's one-shot job does (docker-compose, Kubernetes) before the services start.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SchemaRegistration <registry v3 API url>, e.g. http://registry:8080/apis/registry/v3");
            System.exit(2);
        }
        try {
            new SchemaRegistration(args[0]).registerAll();
        } catch (IOException e) {
            System.err.println("schema registration failed: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("registered " + String.join(", ", valueSchemas().keySet()) + " with " + COMPATIBILITY
                + " compatibility in " + args[0]);
    }

    /** Registers every value schema (idempotent) and makes sure each has the compatibility rule. */
    public void registerAll() throws IOException, InterruptedException {
        for (String artifactId : valueSchemas().keySet()) {
            register(artifactId);
            ensureCompatibilityRule(artifactId);
        }
    }

    /**
     * Registers through the serde itself, by serializing a sample record: the registry then holds
     * exactly what every writer looks up (the serde stores named types such as enums as
     * references), so writers find this version instead of racing each other to create one.
     */
    private void register(String artifactId) throws IOException {
        SpecificRecord sample = SAMPLES.get(artifactId);
        try (Serde<SpecificRecord> serde = RegistrySerdes.valueSerde(registryUrl)) {
            serde.serializer().serialize(artifactId.substring(0, artifactId.length() - "-value".length()), sample);
        } catch (RuntimeException e) {
            throw new IOException("could not register " + artifactId + ": " + e.getMessage(), e);
        }
    }

    private void ensureCompatibilityRule(String artifactId) throws IOException, InterruptedException {
        String rules = "groups/" + GROUP + "/artifacts/" + artifactId + "/rules";
        HttpResponse<String> existing = http.send(
                HttpRequest.newBuilder(apiBase.resolve(rules + "/COMPATIBILITY")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (existing.statusCode() == 200) {
            if (!existing.body().contains(COMPATIBILITY)) {
                ObjectNode update = JSON.createObjectNode();
                update.put("ruleType", "COMPATIBILITY");
                update.put("config", COMPATIBILITY);
                send(HttpRequest.newBuilder(apiBase.resolve(rules + "/COMPATIBILITY"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(update.toString())).build(), "update rule of " + artifactId);
            }
            return;
        }
        ObjectNode rule = JSON.createObjectNode();
        rule.put("ruleType", "COMPATIBILITY");
        rule.put("config", COMPATIBILITY);
        send(post(rules, rule), "add rule to " + artifactId);
    }

    /** The compatibility rule's configuration of one artifact, or null when it has none. */
    public String compatibilityRule(String artifactId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(apiBase.resolve(
                "groups/" + GROUP + "/artifacts/" + artifactId + "/rules/COMPATIBILITY")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("config").asText(null) : null;
    }

    private HttpRequest post(String path, ObjectNode body) {
        return HttpRequest.newBuilder(apiBase.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private void send(HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("registry refused to " + what + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }
}
