package trading.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import trading.feed.replay.PriceFile;
import trading.launcher.ItHttp.Reply;
import trading.launcher.backtest.Backtest;
import trading.launcher.backtest.TopicPrices;
import trading.launcher.catalog.StrategyCatalog;
import trading.launcher.catalog.StrategyRules;
import trading.launcher.chaos.CatchUp;
import trading.launcher.stack.HttpCredentials;
import trading.launcher.stack.LiveSummary;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.Stack;
import trading.launcher.stack.Supervisor;
import trading.launcher.stack.StackConfig.Service;
import trading.launcher.stack.StackConfig;
import trading.schema.ExecutionReport;
import trading.schema.Price;
import trading.schema.SchemaRegistration;
import trading.schema.Topics;
import trading.schema.kafka.DeadLetters;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trading.launcher.ItHttp.awaitJson;

/**
 * The whole pipeline as {@code ./pipeline up} runs it: a real KRaft broker, a real Apicurio
 * Registry and the four packaged services as processes (two instances of each strategy), on
 * ports offset by 1000 so that it can run beside a user's stack. Prices must become orders and
 * fills through all four; any strategy instance must answer for any ticker; killing one must lose
 * no order and duplicate none.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Stack stack;
    private static StackConfig config;

    /** The catalog's strategies this test knows by name (strategies/). */
    private static Service abc() {
        return config.strategy("abc");
    }

    private static Service xyz() {
        return config.strategy("xyz");
    }

    /** Every strategy of the catalog as its service runs it: what the backtest compares with. */
    private static List<Backtest.Strategy> catalogStrategies() {
        return Backtest.Strategy.catalog(config.home());
    }

    @BeforeAll
    static void startStack() {
        Path home = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();
        config = new StackConfig(home, home.resolve("deploy/local/target/it-run"), false, 1000, 2, 200, 7,
                StackConfig.QUICK_START_JVM, Map.of());
        stack = new Stack(config, System.out);
        stack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
            assertTrue(stack.processes().stream().noneMatch(ManagedProcess::isAlive), "every process stopped");
        }
    }

    @Test
    @Order(1)
    void pricesBecomeOrdersAndFillsFromEveryStrategyOfTheCatalog() {
        Set<String> strategies = new HashSet<>(StrategyCatalog.of(config.home()).names());
        assertTrue(strategies.containsAll(Set.of("abc", "xyz", "abc-slow")), "the catalog: " + strategies);
        JsonNode filled = awaitJson("a filled order of each strategy " + strategies, Duration.ofMinutes(3), () -> {
            JsonNode orders = get(Service.ORDER_EXECUTION, "/orders?limit=10000").body();
            Set<String> withFills = new HashSet<>();
            for (JsonNode order : orders) {
                if (order.path("status").asText().equals("FILLED")) {
                    withFills.add(order.path("strategy").asText());
                }
            }
            return withFills.containsAll(strategies) ? orders : null;
        });
        for (JsonNode order : filled) {
            assertEquals("FILLED", order.path("status").asText(), order.toString());
            assertEquals("paper", order.path("broker").asText());
            assertEquals(0, new BigDecimal(order.path("fillPrice").asText())
                    .compareTo(new BigDecimal(order.path("referencePrice").asText())), order.toString());
            assertTrue(order.path("priceSequence").asLong() > 0);
        }

        // counts kept by the topology cover every order listed before them (orders keep coming)
        JsonNode stats = get(Service.ORDER_EXECUTION, "/stats").body();
        assertTrue(stats.path("orders").asLong() >= filled.size(), stats.toString());
        assertTrue(stats.path("byStatus").path("FILLED").asLong() >= filled.size(), stats.toString());

        // pages: newest first, over every partition of the instance (orders keep coming: the first
        // order of a page asked for later is at least as new as every order listed before)
        JsonNode first = get(Service.ORDER_EXECUTION, "/orders?limit=1").body().get(0);
        for (JsonNode order : filled) {
            assertTrue(order.path("decisionTimeMicros").asLong() <= first.path("decisionTimeMicros").asLong(),
                    "the newest order is " + first + ", but an order listed before it is newer: " + order);
        }
        // the next page starts after the cursor of the last order of the one before
        String cursor = first.path("decisionTimeMicros").asLong() + ":" + first.path("orderId").asText();
        JsonNode next = get(Service.ORDER_EXECUTION, "/orders?limit=5&before=" + cursor).body();
        assertTrue(next.size() > 0, "an older page");
        long previous = first.path("decisionTimeMicros").asLong();
        for (JsonNode order : next) {
            assertTrue(!order.path("orderId").asText().equals(first.path("orderId").asText()), "no order on two pages");
            assertTrue(order.path("decisionTimeMicros").asLong() <= previous, "newest first: " + next);
            previous = order.path("decisionTimeMicros").asLong();
        }
        assertEquals(400, get(Service.ORDER_EXECUTION, "/orders?before=yesterday").status());
        Reply notANumber = get(Service.ORDER_EXECUTION, "/orders?limit=abc");
        assertEquals(400, notANumber.status(), "a malformed number is the caller's mistake, not an unknown path");
        assertEquals("limit must be a whole number from 1 to 10000, was 'abc'", notANumber.body().path("error").asText());

        String orderId = filled.get(0).path("orderId").asText();
        Reply one = get(Service.ORDER_EXECUTION, "/orders/" + orderId);
        assertEquals(200, one.status());
        assertEquals(orderId, one.body().path("orderId").asText());

        JsonNode positions = get(Service.ORDER_EXECUTION, "/positions").body();
        assertTrue(positions.size() > 0, "fills are booked");
    }

    @Test
    @Order(2)
    void everyPortOfTheStackListensOnThisMachineOnly() throws Exception {
        List<Integer> ports = new java.util.ArrayList<>(List.of(config.registryPort(), config.registryManagementPort(),
                config.kafkaPort(0)));
        for (Service service : config.services()) {
            if (!config.runs(service)) {
                continue; // the exchange simulator, with the paper broker
            }
            for (int instance = 0; instance < (service.scalable() ? config.instances() : 1); instance++) {
                ports.add(config.port(service, instance));
            }
        }
        Map<Integer, List<String>> listening = new java.util.TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) { // after the header
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                int port = Integer.parseInt(local[1], 16);
                if (fields[3].equals("0A") && ports.contains(port)) { // LISTEN
                    listening.computeIfAbsent(port, p -> new java.util.ArrayList<>()).add(local[0]);
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(ports), listening.keySet(), "every port of the stack is found listening");
        listening.forEach((port, addresses) -> {
            for (String address : addresses) {
                // 127.0.0.1 as /proc writes it (little-endian hex), or ::1, or ::ffff:127.0.0.1
                assertTrue(address.equals("0100007F") || address.equals("00000000000000000000000001000000")
                        || address.equals("0000000000000000FFFF00000100007F"), "port " + port + " listens on " + address
                        + ", not loopback alone; every listener: " + listening);
            }
        });
    }

    @Test
    @Order(2)
    void strategiesAnswerForTheirTickers() {
        JsonNode abc = awaitJson("AAPL state in strategy-abc", Duration.ofSeconds(60), () -> {
            Reply reply = get(abc(), "/state/AAPL");
            return reply.status() == 200 && !reply.body().path("slowSma").isNull() ? reply.body() : null;
        });
        assertEquals("AAPL", abc.path("ticker").asText());
        assertTrue(abc.path("updates").asLong() >= 20, abc.toString());
        assertTrue(abc.has("fastSma") && abc.has("position") && abc.has("lastPrice"), abc.toString());

        // xyz's owner of AAPL may still be starting its tasks (two instances share the partitions)
        JsonNode xyz = awaitJson("AAPL state in strategy-xyz", Duration.ofSeconds(60), () -> {
            Reply reply = get(xyz(), "/state/AAPL");
            return reply.status() == 200 ? reply.body() : null;
        });
        assertTrue(xyz.has("rsi"), xyz.toString());

        // Each instance starts applying its partitions when its tasks are running: wait for all 24.
        JsonNode all = awaitJson("every ticker of the default market in strategy-abc", Duration.ofSeconds(90), () -> {
            Reply reply = get(abc(), "/state");
            return reply.status() == 200 && reply.body().size() == 24 ? reply.body() : null;
        });
        assertEquals(24, all.size());
    }

    @Test
    @Order(3)
    void badRequestsGetA4xxWithAMessage() {
        Reply unknown = get(abc(), "/state/NOSUCH");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().path("error").asText().contains("NOSUCH"));

        Reply badTicker = get(xyz(), "/state/" + "x".repeat(65));
        assertEquals(400, badTicker.status());
        assertTrue(badTicker.body().path("error").asText().startsWith("ticker must be 1 to 64"), badTicker.body().toString());
        Reply badStrategy = get(Service.ORDER_EXECUTION, "/positions?strategy=a%20b");
        assertEquals(400, badStrategy.status());
        assertTrue(badStrategy.body().path("error").asText().contains("strategy must be"), badStrategy.body().toString());

        Reply badLimit = get(Service.ORDER_EXECUTION, "/orders?limit=-1");
        assertEquals(400, badLimit.status());
        assertTrue(badLimit.body().path("error").asText().contains("limit"));

        Reply noOrder = get(Service.ORDER_EXECUTION, "/orders/does-not-exist");
        assertEquals(404, noOrder.status());
    }

    @Test
    @Order(4)
    void schemasAreRegisteredWithBackwardCompatibility() throws Exception {
        SchemaRegistration registry = new SchemaRegistration(config.registryUrl());
        for (String artifact : SchemaRegistration.valueSchemas().keySet()) {
            assertEquals("BACKWARD", registry.compatibilityRule(artifact), artifact);
        }
    }

    @Test
    @Order(5)
    void anUndecodablePriceIsDeadLetteredAndTheStrategiesGoOn() throws Exception {
        long before = get(abc(), "/state/AAPL").body().path("updates").asLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafkaClient(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PRICES, "AAPL", "definitely not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        Set<String> reasons = new HashSet<>();
        int strategies = config.strategies().size();
        try (KafkaConsumer<String, byte[]> consumer = consumer("it-dlq")) {
            consumer.subscribe(List.of(Topics.PRICES_DLQ));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // every strategy reads every price, so each dead-letters it once
            while (reasons.size() < strategies && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals("definitely not avro", new String(record.value(), StandardCharsets.UTF_8));
                    String reason = DeadLetters.header(record.headers(), DeadLetters.REASON);
                    assertNotNull(reason);
                    assertTrue(reason.startsWith("undecodable"), reason);
                    reasons.add(reason + "#" + record.offset());
                }
            }
        }
        assertEquals(strategies, reasons.size(), "one dead letter from each strategy: " + reasons);
        awaitJson("strategy-abc still applying prices", Duration.ofSeconds(30), () -> {
            JsonNode state = get(abc(), "/state/AAPL").body();
            return state.path("updates").asLong() > before ? state : null;
        });
    }

    @Test
    @Order(6)
    void everyStepOfAnOrdersLifeIsOnTheTopicOnce() {
        List<String> steps = PipelineRecords.keysOrIds(config, Topics.EXECUTIONS, false);
        assertFalse(steps.isEmpty());
        assertEquals(steps.size(), new HashSet<>(steps).size(), "no order executed twice");
        long filled = steps.stream().filter(step -> step.endsWith("/FILLED")).count();
        assertTrue(filled > 0);
        for (String status : List.of("NEW", "SENT")) {
            assertTrue(steps.stream().filter(step -> step.endsWith("/" + status)).count() >= filled,
                    "every filled order went through " + status);
        }
    }

    @Test
    @Order(6)
    void eachOrderIsOneTraceFromItsPriceToItsFillsAndItsTimelineShowsEveryStep() {
        // orders first: the prices read after them hold every order's price
        Map<String, List<String>> orderPrices = PipelineRecords.<trading.schema.Order>traceIds(config, Topics.ORDERS,
                order -> order.getOrderId() + " " + order.getPriceSource() + "/" + order.getTicker() + "/"
                        + order.getPriceSequence());
        Map<String, List<String>> priceTraces = PipelineRecords.<Price>traceIds(config, Topics.PRICES,
                price -> price.getSource() + "/" + price.getTicker() + "/" + price.getSequence());
        assertFalse(orderPrices.isEmpty());
        // every order gets a report (a fill, or a rejection with its reason), once order-execution has
        // read it: wait for that rather than assume it kept up (one instance may still be restoring)
        Set<String> orderIds = new HashSet<>();
        orderPrices.keySet().forEach(orderAndPrice -> orderIds.add(orderAndPrice.substring(0, orderAndPrice.indexOf(' '))));
        List<Map<String, List<String>>> reportsRead = new ArrayList<>();
        awaitJson("a report for each of the " + orderIds.size() + " orders read", Duration.ofMinutes(2), () -> {
            reportsRead.add(0, PipelineRecords.<trading.schema.ExecutionReport>traceIds(config, Topics.EXECUTIONS,
                    ExecutionReport::getOrderId));
            return reportsRead.get(0).keySet().containsAll(orderIds) ? JSON.nullNode() : null;
        });
        Map<String, List<String>> reportTraces = reportsRead.get(0);
        Map<String, List<String>> orderTraces = new HashMap<>();
        orderPrices.forEach((orderAndPrice, traces) -> {
            String orderId = orderAndPrice.substring(0, orderAndPrice.indexOf(' '));
            String price = orderAndPrice.substring(orderAndPrice.indexOf(' ') + 1);
            List<String> ofPrice = priceTraces.get(price);
            assertNotNull(ofPrice, "the price of order " + orderId + ": " + price);
            assertNotNull(ofPrice.get(0), "price " + price + " carries a trace");
            assertEquals(List.of(ofPrice.get(0)), traces, "order " + orderId + " continues its price's trace");
            orderTraces.put(orderId, traces);
            List<String> ofReports = reportTraces.get(orderId);
            assertTrue(ofReports.stream().allMatch(ofPrice.get(0)::equals), "every report of " + orderId + " is in its trace");
        });

        // a filled order's timeline (risk rejections have no sent, acknowledged or filled step)
        JsonNode timeline = null;
        for (String orderId : reportTraces.keySet().stream().filter(orderTraces::containsKey).limit(50).toList()) {
            Reply answer = get(Service.ORDER_EXECUTION, "/orders/" + orderId + "/timeline");
            assertEquals(200, answer.status(), String.valueOf(answer.body()));
            if (answer.body().path("status").asText().equals("FILLED")) {
                timeline = answer.body();
                break;
            }
        }
        assertNotNull(timeline, "a filled order among the first 50 with reports");
        String filled = timeline.path("orderId").asText();
        assertEquals(orderTraces.get(filled).get(0), timeline.path("traceId").asText());
        List<String> names = new ArrayList<>();
        Instant previous = Instant.EPOCH;
        for (JsonNode step : timeline.path("steps")) {
            names.add(step.path("step").asText());
            assertFalse(step.path("at").isNull(), "step " + step + " of " + timeline);
            Instant at = Instant.parse(step.path("at").asText());
            assertFalse(at.isBefore(previous), "steps in order: " + timeline);
            previous = at;
        }
        assertEquals(List.of("price published", "decided", "readable on orders", "risk-checked", "sent",
                "acknowledged", "filled"), names);
        assertEquals(404, get(Service.ORDER_EXECUTION, "/orders/no-such-order/timeline").status());
        assertEquals(400, get(Service.ORDER_EXECUTION, "/orders/bad%20id/timeline").status());
    }

    @Test
    @Order(6)
    void everyServiceShowsItsOwnMetersToPrometheusAndDescribesItsApi() {
        Map<Service, List<String>> meters = Map.of(
                Service.PRICE_FEED, List.of("feed_prices_published_total"),
                abc(), List.of("strategy_prices_applied_total{strategy=\"abc\"",
                        "strategy_orders_sent_total{strategy=\"abc\"", "strategy_tick_to_decision_seconds"),
                xyz(), List.of("strategy_prices_applied_total{strategy=\"xyz\"",
                        "strategy_tick_to_decision_seconds"),
                Service.ORDER_EXECUTION, List.of("execution_reports_total", "status=\"FILLED\"",
                        "execution_tick_to_fill_seconds_bucket", "execution_pnl{", "jvm_memory_used_bytes"));
        meters.forEach((service, names) -> {
            String scrape = ItHttp.getText(config.serviceUrl(service, 0) + "/q/metrics");
            for (String name : names) {
                assertTrue(scrape.contains(name), service + "'s /q/metrics has " + name);
            }
        });
        Map<Service, String> paths = Map.of(Service.PRICE_FEED, "/feed", abc(), "/state",
                xyz(), "/strategy", Service.ORDER_EXECUTION, "/orders/{orderId}/timeline",
                Service.DASHBOARD, "/api/tickers/{ticker}");
        paths.forEach((service, path) -> {
            String openapi = ItHttp.getText(config.serviceUrl(service, 0) + "/q/openapi");
            assertTrue(openapi.contains(path + ":"), service + "'s /q/openapi lists " + path);
        });
    }

    @Test
    @Order(6)
    void everyStrategySaysWhatItIsWithTheCatalogsValuesAndItsIndicators() {
        StrategyRules rules = new StrategyRules(config.home());
        for (Service strategy : config.strategies()) {
            JsonNode described = get(strategy, "/strategy").body();
            var expected = rules.info(strategy.strategy()); // the catalog entry with the rule's defaults filled in
            assertEquals(strategy.strategy().name(), described.path("name").asText(), described.toString());
            assertEquals("trading-strategy." + strategy.strategy().name(), described.path("applicationId").asText());
            assertEquals(expected.rule(), described.path("rule").asText());
            expected.parameters().forEach((name, value) -> assertEquals(0,
                    value.compareTo(described.path("parameters").path(name).decimalValue()), strategy + " " + name + ": " + described));
            assertEquals(expected.indicators().size(), described.path("indicators").size(), described.toString());
            // its state names the same indicators, under "indicators", on every instance
            JsonNode state = get(strategy, 1, "/state/AAPL").body();
            for (JsonNode plot : described.path("indicators")) {
                assertTrue(state.path("indicators").has(plot.path("name").asText()), strategy + ": " + state);
            }
        }
        // the reused rule: the same code as abc, other values, orders under its own name
        JsonNode slow = get(config.strategy("abc-slow"), "/strategy").body();
        assertEquals("sma-crossover", slow.path("rule").asText());
        assertEquals(50, slow.path("parameters").path("slow").asInt());
        assertEquals("SMA 50", slow.path("indicators").get(1).path("label").asText());
        assertTrue(get(Service.ORDER_EXECUTION, "/orders?strategy=abc-slow&limit=5").body().size() > 0, "abc-slow trades");
    }

    @Test
    @Order(7)
    void everyInstanceAnswersForEveryTickerWithTheOwnersState() {
        awaitJson("both abc instances serving", Duration.ofSeconds(60), () -> {
            JsonNode all = get(abc(), 0, "/state").body();
            return all.isArray() && all.size() == 24 ? all : null;
        });
        JsonNode tickers = get(abc(), 0, "/state").body();
        Set<String> owners = new HashSet<>();
        for (JsonNode entry : tickers) {
            String ticker = entry.path("ticker").asText();
            Reply viaFirst = get(abc(), 0, "/state/" + ticker);
            Reply viaSecond = get(abc(), 1, "/state/" + ticker);
            assertEquals(200, viaFirst.status(), ticker);
            assertEquals(200, viaSecond.status(), ticker);
            assertEquals(viaFirst.body().path("answeredBy").asText(), viaSecond.body().path("answeredBy").asText(),
                    "both instances name the same owner of " + ticker);
            owners.add(viaFirst.body().path("answeredBy").asText());
        }
        assertEquals(Set.of("localhost:" + config.port(abc(), 0), "localhost:" + config.port(abc(), 1)),
                owners, "the tickers are spread over both instances");
        assertEquals(24, get(abc(), 1, "/state").body().size(), "any instance merges every ticker");
    }

    @Test
    @Order(8)
    void everyOrderExecutionInstanceAnswersForTheBooksOfAllBySplittingTheWork() {
        // each instance holds the books of the tickers it owns; asked without ?local it merges the others'
        awaitJson("both order-execution instances holding books", Duration.ofSeconds(60), () -> {
            Reply zero = asPeer(Service.ORDER_EXECUTION, 0, "/positions?local=true");
            Reply one = asPeer(Service.ORDER_EXECUTION, 1, "/positions?local=true");
            Reply all = get(Service.ORDER_EXECUTION, 1, "/positions");
            return zero.status() == 200 && one.status() == 200 && all.status() == 200
                    && zero.body().size() > 0 && one.body().size() > 0 ? all.body() : null;
        });
        Set<String> zero = positionKeys(asPeer(Service.ORDER_EXECUTION, 0, "/positions?local=true").body());
        Set<String> one = positionKeys(asPeer(Service.ORDER_EXECUTION, 1, "/positions?local=true").body());
        Set<String> intersection = new HashSet<>(zero);
        intersection.retainAll(one);
        assertTrue(intersection.isEmpty(), "no book is held by both: " + intersection);
        Set<String> union = new HashSet<>(zero);
        union.addAll(one);
        // asked after the parts: books only ever appear, so every one of them must be in it
        JsonNode merged = get(Service.ORDER_EXECUTION, 1, "/positions").body();
        assertTrue(positionKeys(merged).containsAll(union), "instance 1 answers with every book");
        assertEquals(positionKeys(get(Service.ORDER_EXECUTION, 0, "/positions").body()),
                positionKeys(get(Service.ORDER_EXECUTION, 1, "/positions").body()), "both answer with the same books");
        // an order held by one instance is found through the other
        JsonNode someOrder = asPeer(Service.ORDER_EXECUTION, 1, "/orders?local=true&limit=1").body().get(0);
        Reply viaZero = get(Service.ORDER_EXECUTION, 0, "/orders/" + someOrder.path("orderId").asText());
        assertEquals(200, viaZero.status());
        assertEquals(someOrder.path("orderId").asText(), viaZero.body().path("orderId").asText());
    }

    @Test
    @Order(8)
    void onlyTheRiskRoleHaltsAndOnlyPeersGetInstanceLocalAnswers() {
        String halt = config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading/halt";
        HttpCredentials credentials = stack.credentials();
        Reply anonymous = ItHttp.post(halt, "{\"reason\":\"it: anyone\"}");
        assertEquals(401, anonymous.status(), anonymous.body().toString());
        assertTrue(anonymous.body().path("error").asText().contains("log in"), anonymous.body().toString());
        Reply wrongPassword = ItHttp.post(halt, "{}", new HttpCredentials.Login(credentials.risk().user(), "not-the-password"));
        assertEquals(401, wrongPassword.status(), wrongPassword.body().toString());
        Reply viewer = ItHttp.post(halt, "{}", credentials.viewer());
        assertEquals(403, viewer.status(), viewer.body().toString());
        assertTrue(viewer.body().path("error").isTextual(), viewer.body().toString());
        Reply resume = ItHttp.post(config.serviceUrl(Service.ORDER_EXECUTION, 1) + "/trading/resume", "");
        assertEquals(401, resume.status(), resume.body().toString());
        // a page of another site, with a risk login the browser remembers: a form cannot send JSON,
        // and a script's request names its origin
        Reply form = ItHttp.post(halt, "reason=it", "application/x-www-form-urlencoded", credentials.risk());
        assertEquals(415, form.status(), form.body().toString());
        Reply crossSite = ItHttp.post(halt, "{}", "application/json", credentials.risk(), "Origin", "https://elsewhere.example");
        assertEquals(403, crossSite.status(), crossSite.body().toString());
        assertTrue(crossSite.body().path("error").asText().startsWith("cross-site request refused"), crossSite.body().toString());
        Reply dashboardSite = ItHttp.post(config.serviceUrl(Service.DASHBOARD, 0) + "/api/trading/halt", "{}", "application/json",
                credentials.risk(), "Origin", "https://elsewhere.example");
        assertEquals(403, dashboardSite.status(), "through the dashboard neither: " + dashboardSite.body());
        assertFalse(get(Service.ORDER_EXECUTION, 1, "/trading").body().path("halted").asBoolean(), "no one halted trading");
        // stopping the feed (chaos does, with the risk login) is for the risk role alone too
        String stopFeed = config.serviceUrl(Service.PRICE_FEED, 0) + "/feed/stop";
        assertEquals(401, ItHttp.post(stopFeed, "{}").status());
        assertEquals(403, ItHttp.post(stopFeed, "{}", credentials.viewer()).status());
        assertTrue(get(Service.PRICE_FEED, "/feed").body().path("stoppedBy").isNull(), "no one stopped the feed");

        // ?local=true answers are for the instances of the same service: not for anyone, not for another service
        for (String path : List.of("/positions?local=true", "/orders?local=true&limit=1", "/stats?local=true")) {
            Reply open = get(Service.ORDER_EXECUTION, 0, path);
            assertEquals(403, open.status(), path + ": " + open.body());
            Reply otherService = ItHttp.get(config.serviceUrl(Service.ORDER_EXECUTION, 0) + path, PeerHeader.NAME,
                    credentials.peerSecret(abc()));
            assertEquals(401, otherService.status(), path + ": " + otherService.body());
            assertEquals(200, asPeer(Service.ORDER_EXECUTION, 0, path).status(), path);
        }
        Reply state = get(abc(), 1, "/state?local=true");
        assertEquals(403, state.status(), state.body().toString());
        assertEquals(200, asPeer(abc(), 1, "/state?local=true").status());
    }

    /** The real paths of each service, the seeds of the fuzzer's mangled ones (every strategy's are alike). */
    static List<String> paths(Service service) {
        return service.isStrategy() ? List.of("/state", "/state/AAPL", "/state/MSFT/signals", "/strategy", "/q/health/ready")
                : PATHS.get(service);
    }

    private static final Map<Service, List<String>> PATHS = Map.of(
            Service.PRICE_FEED, List.of("/feed", "/feed/stop", "/q/health/ready", "/q/metrics", "/q/openapi"),
            Service.ORDER_EXECUTION, List.of("/orders", "/orders/some-id", "/positions", "/pnl", "/stats", "/trading",
                    "/trading/halt", "/trading/resume", "/broker"),
            Service.EXCHANGE_SIMULATOR, List.of("/exchange/orders", "/exchange/orders/some-id", "/exchange/stats"),
            Service.DASHBOARD, List.of("/api/status", "/", "/app.js", "/live", "/api/tickers/AAPL", "/api/orders",
                    "/api/trading/halt", "/api/trading/resume", "/q/openapi"));

    @Test
    @Order(8)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void malformedRequestsGetNoServerErrorNoHangAndNeverHaltTrading() {
        long ordersBefore = get(Service.ORDER_EXECUTION, "/stats").body().path("orders").asLong();
        for (Service service : List.of(Service.PRICE_FEED, abc(), xyz(), config.strategy("qrs"), Service.ORDER_EXECUTION,
                Service.DASHBOARD)) {
            String control = service == Service.DASHBOARD ? "/api/trading" : service == Service.PRICE_FEED ? "/feed/stop" : "/trading";
            HttpFuzz.Report report = new HttpFuzz("localhost", config.port(service, 0), paths(service), control, false,
                    1_000 + service.basePort()).run(1_000, 15_000);
            System.out.println(service.module() + ": " + report);
            assertEquals(List.of(), report.serverErrors(), service.module() + ": " + report);
            assertEquals(List.of(), report.hangs(), service.module() + ": " + report);
            assertEquals(List.of(), report.controlAccepted(), service.module() + ": " + report);
        }
        assertFalse(get(Service.ORDER_EXECUTION, 1, "/trading").body().path("halted").asBoolean(), "no one halted trading");
        awaitJson("orders still flowing after the fuzzing", Duration.ofMinutes(1), () ->
                get(Service.ORDER_EXECUTION, "/stats").body().path("orders").asLong() > ordersBefore ? JSON.nullNode() : null);
        for (Service service : List.of(Service.PRICE_FEED, abc(), xyz(), config.strategy("qrs"), Service.ORDER_EXECUTION,
                Service.DASHBOARD)) {
            assertEquals(200, get(service, 0, "/q/health/ready").status(), service.module() + " is still ready");
        }
    }

    @Test
    @Order(8)
    void aPageShowsOneTickerTheBoardKnowsAndAsksForNoOther() throws Exception {
        java.util.concurrent.BlockingQueue<String> errors = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            private final StringBuilder frame = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
                frame.append(data);
                if (last) {
                    String text = frame.toString();
                    frame.setLength(0);
                    if (text.startsWith("{\"error\"")) {
                        errors.add(text);
                    }
                }
                socket.request(1);
                return null;
            }
        };
        java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + config.port(Service.DASHBOARD, 0) + "/live"), listener).join();
        for (int i = 0; i < 50; i++) {
            socket.sendText("{\"select\":\"NOPE" + i + "\"}", true).join();
        }
        for (int i = 0; i < 50; i++) {
            String error = errors.poll(10, TimeUnit.SECONDS);
            assertNotNull(error, "a refusal for each ticker the board has not seen; got " + i);
            assertTrue(error.contains("has been seen"), error);
        }
        socket.sendText("{\"select\":\"AAPL\"}", true).join();
        awaitJson("the dashboard to ask only for AAPL", Duration.ofSeconds(30), () -> {
            JsonNode shown = get(Service.DASHBOARD, "/api/status").body().path("dashboard").path("shown");
            return shown.toString().equals("[\"AAPL\"]") ? shown : null;
        });
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();
        awaitJson("the dashboard to ask for nothing once the page is gone", Duration.ofSeconds(30), () -> {
            JsonNode shown = get(Service.DASHBOARD, "/api/status").body().path("dashboard").path("shown");
            return shown.isArray() && shown.isEmpty() ? shown : null;
        });
    }

    @Test
    @Order(8)
    void theDashboardAnswersForATickerFromEveryService() {
        JsonNode aapl = awaitJson("the dashboard's answer for AAPL", Duration.ofSeconds(30), () -> {
            Reply reply = get(Service.DASHBOARD, 0, "/api/tickers/AAPL");
            return reply.status() == 200 && reply.body().path("complete").asBoolean() ? reply.body() : null;
        });
        assertEquals("AAPL", aapl.path("strategy-abc").path("state").path("ticker").asText(), aapl.toString());
        assertTrue(aapl.path("strategy-xyz").path("state").has("rsi"), aapl.toString());
        assertTrue(aapl.path("strategy-abc").path("signals").isArray(), aapl.toString());
        for (JsonNode order : aapl.path("order-execution").path("orders")) {
            assertEquals("AAPL", order.path("ticker").asText(), "only the ticker's orders");
        }
        for (JsonNode position : aapl.path("order-execution").path("positions")) {
            assertEquals("AAPL", position.path("ticker").asText(), "only the ticker's positions");
        }
        // a service that is slow to answer this once (a busy machine) makes the answer 200 with
        // complete=false: the dashboard cannot say "nobody has seen it" without every service
        awaitJson("404 for a ticker no service has seen", Duration.ofSeconds(30), () -> {
            Reply nope = get(Service.DASHBOARD, 0, "/api/tickers/NOPE");
            if (nope.status() == 200) {
                assertFalse(nope.body().path("complete").asBoolean(true), "a 200 for an unseen ticker says what it missed: " + nope.body());
                return null;
            }
            assertEquals(404, nope.status(), nope.body().toString());
            return nope.body();
        });
        assertEquals(400, get(Service.DASHBOARD, 0, "/api/tickers/a%20b").status());
        Reply openapi = ItHttp.get(config.serviceUrl(Service.DASHBOARD, 0) + "/q/openapi?format=json");
        assertTrue(openapi.body().path("paths").has("/api/tickers/{ticker}"), "listed in OpenAPI");
        JsonNode status = get(Service.DASHBOARD, 0, "/api/status").body();
        assertEquals(0, status.path("unavailable").size(), status.toString());
        assertTrue(status.path("lag").has("trading-strategy.abc"), status.toString());
    }

    @Test
    @Order(8)
    void theDashboardPageShowsTheStreamAndHaltsOnlyWithTheRiskLogin() throws Exception {
        DashboardScenario.run(config, stack.credentials(), Path.of("target/dashboard.png").toAbsolutePath());
        assertFalse(get(Service.ORDER_EXECUTION, 1, "/trading").body().path("halted").asBoolean(), "resumed");
    }

    /** The header instances authenticate each other with (trading.support.security.PeerSecret.HEADER). */
    private static final class PeerHeader {
        static final String NAME = "X-Pipeline-Peer";
    }

    /** A request as another instance of the service would make it. */
    private static Reply asPeer(Service service, int instance, String path) {
        return ItHttp.get(config.serviceUrl(service, instance) + path, PeerHeader.NAME, stack.credentials().peerSecret(service));
    }

    private static Set<String> positionKeys(JsonNode positions) {
        Set<String> keys = new HashSet<>();
        positions.forEach(p -> keys.add(p.path("strategy").asText() + "|" + p.path("ticker").asText()));
        return keys;
    }

    @Test
    @Order(9)
    void killingAnInstanceLosesNoOrderAndExecutesNoneTwice() {
        String survivor = "localhost:" + config.port(abc(), 0);
        String victim = "localhost:" + config.port(abc(), 1);
        String victimsTicker = null;
        for (JsonNode state : get(abc(), 0, "/state").body()) {
            if (state.path("answeredBy").asText().equals(victim)) {
                victimsTicker = state.path("ticker").asText();
            }
        }
        assertNotNull(victimsTicker, "strategy-abc-1 owns some ticker");
        long killedAt = System.nanoTime();
        stack.kill("strategy-abc-1");
        // The list right after the kill: whole (the dead instance's tickers from the survivor's
        // standby copies, marked stale) or a 503, never the survivor's half.
        JsonNode listed = awaitJson("every ticker listed again after kill -9", Duration.ofSeconds(60),
                () -> wholeOr503(get(abc(), 0, "/state"), 24));
        System.out.printf("every ticker listed again %.1f s after kill -9 (%d of them stale)%n",
                (System.nanoTime() - killedAt) / 1e9, count(listed, entry -> entry.path("stale").asBoolean()));
        for (JsonNode entry : listed) {
            assertEquals(survivor, entry.path("answeredBy").asText(), "the dead instance cannot have answered: " + entry);
        }
        // Until the group notices (the session timeout), the dead instance still owns its tickers:
        // the survivor answers from its standby copy, marked stale, instead of failing.
        String ticker = victimsTicker;
        JsonNode stale = awaitJson("a stale answer from the standby copy of " + ticker, Duration.ofSeconds(30), () -> {
            Reply reply = get(abc(), 0, "/state/" + ticker);
            if (reply.status() != 200) {
                return null;
            }
            assertEquals(survivor, reply.body().path("answeredBy").asText(), reply.body().toString());
            assertTrue(reply.body().path("stale").asBoolean(),
                    "the first answer after the kill comes from the standby copy, before the take-over: " + reply.body());
            return reply.body();
        });
        System.out.printf("first answer for %s %.1f s after kill -9, from the standby copy, %d records behind%n",
                ticker, (System.nanoTime() - killedAt) / 1e9, stale.path("staleByRecords").asLong());
        assertTrue(stale.path("staleByRecords").asLong() >= 0, "how far behind is known: " + stale);
        // The survivor takes over every ticker and goes on applying prices.
        JsonNode states = awaitJson("strategy-abc-0 owning every ticker", Duration.ofMinutes(2), () -> {
            JsonNode whole = wholeOr503(get(abc(), 0, "/state"), 24);
            return whole != null && count(whole, state -> state.path("stale").asBoolean()) == 0 ? whole : null;
        });
        System.out.printf("strategy-abc-0 owns every ticker %.1f s after kill -9%n", (System.nanoTime() - killedAt) / 1e9);
        Map<String, Long> applied = new java.util.TreeMap<>();
        states.forEach(state -> applied.put(state.path("ticker").asText(), state.path("sequence").asLong()));

        // Recompute, from the prices on the topic, the orders strategy-abc must have sent up to what it applied.
        Map<String, List<trading.schema.Price>> prices = PipelineRecords.prices(config, applied);
        Set<String> expected = PipelineRecords.expectedOrders(config, "abc", prices, applied);
        assertFalse(expected.isEmpty());
        PipelineRecords.Orders orders = PipelineRecords.awaitOrders(config, "abc", applied, expected, Duration.ofSeconds(60));
        assertEquals(List.of(), orders.conflicting(), "no order id written with two different decisions");
        if (StrategyCatalog.of(config.home()).get("abc").idempotent()) {
            // an idempotent strategy sends again what the dead instance sent after its last commit;
            // order-execution must take each id once
            System.out.printf("strategy-abc sent %d orders again after the kill%n", orders.sentAgain().size());
            List<String> steps = PipelineRecords.keysOrIds(config, Topics.EXECUTIONS, false);
            assertEquals(steps.size(), new HashSet<>(steps).size(), "no order executed twice after the kill");
        } else {
            assertEquals(List.of(), orders.sentAgain(), "a transactional strategy writes no order id twice");
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(orders.ids());
        Set<String> unexpected = new HashSet<>(orders.ids());
        unexpected.removeAll(expected);
        assertEquals(Set.of(), missing, "orders lost");
        assertEquals(Set.of(), unexpected, "orders the strategy should not have made");

        // Start-up: asked while it starts, joins the group and restores, the instance lists every
        // ticker or answers 503 (the case that once listed 22 of 24 tickers without a word).
        List<Reply> whileStarting = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean starting = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread prober = new Thread(() -> {
            while (starting.get()) {
                try {
                    whileStarting.add(get(abc(), 1, "/state"));
                } catch (IllegalStateException notListeningYet) {
                    // the port opens late in the start; nothing to check before
                }
                try {
                    Thread.sleep(200); // the probing interval
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "start-up prober");
        prober.start();
        try {
            stack.restart("strategy-abc-1");
            awaitJson("the restarted instance listing every ticker", Duration.ofMinutes(2),
                    () -> wholeOr503(get(abc(), 1, "/state"), 24));
        } finally {
            starting.set(false);
        }
        assertTrue(joined(prober));
        synchronized (whileStarting) {
            assertFalse(whileStarting.isEmpty(), "the restarting instance was asked while it started");
            whileStarting.forEach(reply -> wholeOr503(reply, 24));
            System.out.printf("while strategy-abc-1 started: %d answers, %d of them 503%n", whileStarting.size(),
                    whileStarting.stream().filter(reply -> reply.status() == 503).count());
        }
    }

    @Test
    @Order(9)
    void mergedOrderExecutionAnswersAre503WhileAnInstanceDoesNotAnswer() {
        Set<String> booksBefore = positionKeys(awaitJson("books on both instances", Duration.ofSeconds(60), () -> {
            Reply reply = get(Service.ORDER_EXECUTION, 0, "/positions");
            return reply.status() == 200 ? reply.body() : null;
        }));
        stack.kill("order-execution-1");
        // Until the group notices the death, instance 0 counts on instance 1 for half the books:
        // it must say it cannot answer, not answer with its own half.
        String dead = "localhost:" + config.port(Service.ORDER_EXECUTION, 1);
        for (String path : List.of("/positions", "/orders", "/pnl", "/stats")) {
            Reply reply = get(Service.ORDER_EXECUTION, 0, path);
            assertEquals(503, reply.status(), path + " right after the kill: " + reply.body());
            assertNotNull(reply.retryAfter(), path + " says when to ask again");
            assertTrue(reply.body().path("error").asText().contains(dead), path + " names the silent instance: " + reply.body());
        }
        // Malformed requests while a peer is down and the group rebalances (Kafka Streams not
        // RUNNING, stores restoring): "not now" is a 503, and nothing else may be a 5xx.
        HttpFuzz.Report unhealthy = new HttpFuzz("localhost", config.port(Service.ORDER_EXECUTION, 0), paths(Service.ORDER_EXECUTION),
                "/trading", false, 83).run(300, 15_000);
        System.out.println("order-execution-0 while its peer is down: " + unhealthy);
        assertEquals(List.of(), unhealthy.serverErrors().stream().filter(outcome -> outcome.status() != 503).toList(), unhealthy.toString());
        assertEquals(List.of(), unhealthy.hangs(), unhealthy.toString());
        assertEquals(List.of(), unhealthy.controlAccepted(), unhealthy.toString());
        // Once instance 0 has taken the partitions over, the answers are whole again.
        JsonNode positions = awaitJson("order-execution-0 answering for every book", Duration.ofMinutes(2), () -> {
            Reply reply = get(Service.ORDER_EXECUTION, 0, "/positions");
            if (reply.status() == 503) {
                assertNotNull(reply.retryAfter());
                return null;
            }
            assertEquals(200, reply.status(), reply.body().toString());
            return reply.body();
        });
        // Whole means whole: once it answers 200, no book of the partitions it took over is missing
        // (it once answered while those partitions were still restoring, 20 of 48 books short).
        Set<String> missing = new HashSet<>(booksBefore);
        missing.removeAll(positionKeys(positions));
        assertEquals(Set.of(), missing, "books held before the kill, missing from the first whole answer");
        for (String path : List.of("/orders", "/pnl", "/stats")) {
            assertEquals(200, get(Service.ORDER_EXECUTION, 0, path).status(), path);
        }
        // what ./pipeline up does with a process that exited: its supervisor starts it again
        List<String> said = new Supervisor(stack).check();
        assertTrue(said.stream().anyMatch(line -> line.startsWith("order-execution-1 exited (code 137); starting it again")),
                "the supervisor found the dead instance and said so: " + said);
        awaitJson("order-execution-1 ready again after the supervisor's restart", Duration.ofMinutes(3),
                () -> stack.notReady("order-execution-1").isEmpty() ? JsonNodeFactory.instance.booleanNode(true) : null);
    }

    /** The list when whole (checked: exactly {@code tickers} entries), null for a proper 503; anything else fails. */
    private static JsonNode wholeOr503(Reply reply, int tickers) {
        if (reply.status() == 503) {
            assertNotNull(reply.retryAfter(), "a 503 says when to ask again: " + reply.body());
            assertFalse(reply.body().path("error").asText().isBlank(), "a 503 says why: " + reply.body());
            return null;
        }
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(tickers, reply.body().size(), "never a partial list: " + reply.body());
        return reply.body();
    }

    private static long count(JsonNode list, java.util.function.Predicate<JsonNode> test) {
        long n = 0;
        for (JsonNode entry : list) {
            if (test.test(entry)) {
                n++;
            }
        }
        return n;
    }

    private static boolean joined(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Test
    @Order(10)
    void aReplayedFileMakesExactlyTheOrdersOfItsBacktest(@TempDir Path dir) throws Exception {
        Path file = ReplayFiles.write(dir.resolve("history.csv"), List.of("RPLA", "RPLB", "RPLC"), 1000, 11);
        // Amounts too large for the wire in the middle: each is a skipped line, and the replay goes on.
        List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(file));
        String[] middle = lines.get(lines.size() / 2).split(",");
        lines.add(lines.size() / 2, middle[0] + ",RPLA,1e20,1");
        lines.add(lines.size() / 2, middle[0] + ",RPLB,1e999999999,1");
        java.nio.file.Files.write(file, lines);
        Backtest.Result backtest = Backtest.run(PriceFile.open(file), catalogStrategies(), null);
        Instant replayStarts = Instant.now();
        assertTrue(backtest.orders().size() > 50, "the file makes both strategies trade: " + backtest.orders().size());

        ManagedProcess feed = stack.startReplayFeed(file, "max");
        JsonNode replayed = awaitJson("the replay to finish", Duration.ofMinutes(2), () -> {
            JsonNode status = getUrl("http://localhost:" + (StackConfig.REPLAY_FEED_PORT + config.portOffset()) + "/feed");
            return status != null && status.path("replay").path("finished").asBoolean() ? status : null;
        });
        feed.stop(20);
        assertTrue(replayed.path("replay").path("stoppedBy").isNull(), replayed.toString());
        assertEquals(2, replayed.path("replay").path("skippedLines").asLong(), replayed.toString());
        assertEquals(replayed.path("replay").path("total").asLong() - 2, replayed.path("published").asLong(), replayed.toString());

        Map<String, String> expected = new java.util.TreeMap<>();
        for (Backtest.OrderLine order : backtest.orders()) {
            expected.put(order.orderId(), order.strategy() + " " + order.ticker() + " " + order.side() + " "
                    + order.quantity().stripTrailingZeros().toPlainString() + " " + order.referencePrice().stripTrailingZeros().toPlainString()
                    + " " + order.priceSequence());
        }
        Map<String, String> live = new java.util.TreeMap<>();
        awaitJson("every backtest order executed live", Duration.ofMinutes(2), () -> {
            live.clear();
            for (String ticker : List.of("RPLA", "RPLB", "RPLC")) {
                for (JsonNode order : get(Service.ORDER_EXECUTION, "/orders?limit=10000&ticker=" + ticker).body()) {
                    live.put(order.path("orderId").asText(), order.path("strategy").asText() + " " + ticker + " "
                            + order.path("side").asText() + " " + new BigDecimal(order.path("quantity").asText()).stripTrailingZeros().toPlainString()
                            + " " + new BigDecimal(order.path("referencePrice").asText()).stripTrailingZeros().toPlainString()
                            + " " + order.path("priceSequence").asText());
                }
            }
            return live.keySet().containsAll(expected.keySet()) ? JSON.nullNode() : null;
        });
        assertEquals(expected, live, "the same order ids, sides, quantities and reference prices as the backtest");

        // qrs, in Python, makes live what its backtest (its own code) and a computation written here make
        Map<String, String> independent = BollingerReference.orders(PriceFile.open(file), 20, new BigDecimal(2), new BigDecimal(100));
        Map<String, String> qrsLive = new java.util.TreeMap<>(live);
        qrsLive.values().removeIf(order -> !order.startsWith("qrs "));
        Map<String, String> qrsBacktest = new java.util.TreeMap<>(expected);
        qrsBacktest.values().removeIf(order -> !order.startsWith("qrs "));
        assertTrue(independent.size() > 20, "the file makes qrs trade: " + independent.size());
        assertEquals(independent, qrsBacktest, "qrs's backtest (its own code) = the Bollinger rule written in this test");
        assertEquals(independent, qrsLive, "qrs's live orders = the Bollinger rule written in this test");
        // qrs's two instances each answer for every ticker, asking each other (its group says who holds what)
        Set<String> answeredBy = new HashSet<>();
        List<Set<String>> tickersByInstance = new ArrayList<>();
        for (int instance = 0; instance < config.instances(); instance++) {
            Reply all = get(config.strategy("qrs"), instance, "/state");
            assertEquals(200, all.status(), all.body().toString());
            Set<String> tickers = new java.util.TreeSet<>();
            all.body().forEach(state -> {
                tickers.add(state.path("ticker").asText());
                answeredBy.add(state.path("answeredBy").asText());
            });
            tickersByInstance.add(tickers);
            assertTrue(tickers.containsAll(List.of("RPLA", "RPLB", "RPLC")), tickers.toString());
        }
        assertEquals(1, new HashSet<>(tickersByInstance).size(), "the same tickers from every instance: " + tickersByInstance);
        assertEquals(config.instances(), answeredBy.size(), "each instance holds some: " + answeredBy);
        assertEquals(List.of(), PipelineRecords.misplaced(config, Topics.ORDERS),
                "every order is in its ticker's partition (Kafka's murmur2), whatever its strategy's language");

        // the same from the topic: what the stack published from the replay's start on (other
        // tickers' states start fresh there, so only the replayed ones compare)
        Backtest.Result fromTopic = Backtest.run(new TopicPrices(config, Topics.PRICES, replayStarts, null),
                catalogStrategies(), null);
        Map<String, String> topicOrders = new java.util.TreeMap<>();
        for (Backtest.OrderLine order : fromTopic.orders()) {
            if (order.ticker().startsWith("RPL")) {
                topicOrders.put(order.orderId(), order.strategy() + " " + order.ticker() + " " + order.side() + " "
                        + order.quantity().stripTrailingZeros().toPlainString() + " "
                        + order.referencePrice().stripTrailingZeros().toPlainString() + " " + order.priceSequence());
            }
        }
        assertEquals(live, topicOrders, "backtest --topic prices --from <replay start> makes the live orders");
        assertTrue(fromTopic.counts().rows() >= 3000, "read the 3 000 replayed prices: " + fromTopic.counts());
    }

    @Test
    @Order(10)
    void aReplayKeepsTheFilesTimeGapsAtOriginalSpeedAndDividesThemAtSpeedN(@TempDir Path dir) throws Exception {
        long[] gaps = {0, 1_000, 1_500, 3_500, 4_000, 6_000}; // milliseconds after the file's first price
        for (String speed : List.of("original", "4")) {
            String ticker = speed.equals("original") ? "PACEO" : "PACEF";
            StringBuilder csv = new StringBuilder("timestamp,ticker,price,size\n");
            for (int i = 0; i < gaps.length; i++) {
                csv.append(1_700_000_000_000L + gaps[i]).append(',').append(ticker).append(',').append(100 + i).append(",10\n");
            }
            Path file = java.nio.file.Files.writeString(dir.resolve(ticker + ".csv"), csv);
            ManagedProcess feed = stack.startReplayFeed(file, speed);
            awaitJson("the paced replay to finish", Duration.ofMinutes(1), () -> {
                JsonNode status = getUrl("http://localhost:" + (StackConfig.REPLAY_FEED_PORT + config.portOffset()) + "/feed");
                return status != null && status.path("replay").path("finished").asBoolean() ? status : null;
            });
            feed.stop(20);
            List<trading.schema.Price> prices = PipelineRecords.prices(config, Map.of(ticker, (long) gaps.length)).get(ticker);
            double factor = speed.equals("original") ? 1 : 4;
            // The feed fetches metadata and the schema id before its clock starts, yet the schedule's
            // start is not on the topic: measure each price's lateness against its due time, take
            // the least late as the start, and require every price within 1.5 s of its due time from
            // there. Wrong paces fail by far more: at max speed the last price is 6 s "early", at
            // speed 4 played as original it is 4.5 s late.
            long first = prices.get(0).getPublishTime().toEpochMilli();
            long[] lateness = new long[gaps.length];
            for (int i = 0; i < gaps.length; i++) {
                lateness[i] = prices.get(i).getPublishTime().toEpochMilli() - first - Math.round(gaps[i] / factor);
            }
            long start = java.util.Arrays.stream(lateness).min().orElseThrow();
            for (int i = 0; i < gaps.length; i++) {
                assertTrue(lateness[i] - start <= 1_500, "at speed " + speed + " price " + (i + 1) + " was "
                        + (lateness[i] - start) + " ms late; every lateness (ms after the first send, minus its due time): "
                        + java.util.Arrays.toString(lateness));
            }
        }
    }

    /**
     * The stack starts again as {@code ./pipeline up --resume} does (not strict), and this time
     * strategy-qrs cannot start: its Python lacks the Kafka client, as on a machine where nothing
     * was set up. The rest must come up and trade, and the summary must say why qrs is not ready.
     */
    @Test
    @Order(11)
    void aResetStrategyReprocessesEverythingAndNoOrderIsExecutedTwice() throws IOException {
        JsonNode statsBefore = get(Service.ORDER_EXECUTION, "/stats").body();
        long ordersBefore = statsBefore.path("orders").asLong();
        stack.close();
        Commands.reset(config, "abc", System.out);
        StackConfig resumed = new StackConfig(config.home(), config.runDir(), true, config.portOffset(), config.instances(),
                config.feedRate(), config.feedSeed(), config.javaOptions(), Map.of()).withSecure(config.secure());
        stack = new Stack(resumed, System.out);
        stack.strict(false);
        // the real interpreter without its site packages (-S): Debian's confluent_kafka and avro are not found
        Path pythonWithoutPackages = config.runDir().resolveSibling("it-python-without-packages");
        Files.writeString(pythonWithoutPackages, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
        pythonWithoutPackages.toFile().setExecutable(true);
        Service qrs = config.strategy("qrs");
        for (int i = 0; i < config.instances(); i++) {
            stack.environment(Stack.instanceName(qrs, i), Map.of("PYTHON", pythonWithoutPackages.toString()));
        }
        stack.start();

        for (int i = 0; i < config.instances(); i++) {
            String why = stack.cannotStart().get(Stack.instanceName(qrs, i));
            assertNotNull(why, "qrs instance " + i + " could not start: " + stack.cannotStart());
            assertTrue(why.startsWith("exited while starting") && why.contains("No module named"), why);
        }
        String summary = PipelineCli.summaryLine(new LiveSummary(resumed, stack.credentials().viewer()),
                new Supervisor(stack), stack);
        assertTrue(summary.contains("NOT READY " + Stack.instanceName(qrs, 0) + ": exited while starting"), summary);
        Set<String> qrsInstances = new HashSet<>();
        for (int i = 0; i < config.instances(); i++) {
            qrsInstances.add(Stack.instanceName(qrs, i));
        }
        assertEquals(qrsInstances, stack.cannotStart().keySet(), "every other strategy started: " + stack.cannotStart());
        // the rest trades: the feed goes on and orders fill with qrs left out
        long filledBefore = statsBefore.path("byStatus").path("FILLED").asLong();
        awaitJson("new fills with qrs left out", Duration.ofMinutes(3), () -> {
            JsonNode stats = get(Service.ORDER_EXECUTION, "/stats").body();
            return stats.path("byStatus").path("FILLED").asLong() > filledBefore ? stats : null;
        });

        // abc rebuilds RPLA from the start of prices: all 1000 replayed prices applied again.
        awaitJson("strategy-abc to reprocess the replayed file", Duration.ofMinutes(3), () -> {
            Reply reply = get(abc(), "/state/RPLA");
            return reply.status() == 200 && reply.body().path("updates").asLong() == 1000 ? reply.body() : null;
        });
        List<String> orderIds = PipelineRecords.keysOrIds(config, Topics.ORDERS, true);
        List<String> executed = PipelineRecords.keysOrIds(config, Topics.EXECUTIONS, false);
        assertTrue(orderIds.size() > new HashSet<>(orderIds).size(), "reprocessing sent orders again, with the same ids");
        assertEquals(executed.size(), new HashSet<>(executed).size(), "no order id executed twice");
        assertTrue(executed.stream().anyMatch(step -> step.endsWith("/FILLED")));
        assertTrue(get(Service.ORDER_EXECUTION, "/stats").body().path("orders").asLong() >= ordersBefore);
    }

    private static JsonNode getUrl(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        return new KafkaConsumer<>(config.kafkaClient(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Reply get(Service service, String path) {
        return get(service, 0, path);
    }

    private static Reply get(Service service, int instance, String path) {
        return ItHttp.get(config.serviceUrl(service, instance) + path);
    }

    /**
     * What chaos counts as caught up: a group whose committed offset stops before transaction
     * markers or an aborted transaction has read everything (Kafka Streams commits nothing after
     * such a tail, so offsets alone would call it behind for good); one committed record more is one behind.
     */
    @Test
    @Order(12)
    void catchingUpCountsRecordsNotMarkers() throws Exception {
        String topic = "catch-up-check";
        String group = "catch-up-check-reader";
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = config.admin(Duration.ofSeconds(10));
             KafkaProducer<String, String> producer = new KafkaProducer<>(config.kafkaClient(Map.of(
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, "catch-up-check")), new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "read"));
            producer.commitTransaction(); // offset 0, its commit marker 1
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush(); // written, then aborted (an abort drops what is not sent yet)
            producer.abortTransaction(); // offset 2, its abort marker 3
            // the reader read offset 0 and committed what a consumer commits: the next offset
            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(1))).all().get(30, TimeUnit.SECONDS);

            CatchUp counting = new CatchUp(admin, config.kafkaClient(), List.of(group), step -> { }, List::of);
            CatchUp.PartitionLag lag = markersWritten(counting, 4);
            assertEquals(0, lag.behind(), "only a marker, an aborted record and its marker are left: " + lag);
            assertEquals(3, CatchUp.behind(admin, List.of(group)), "offsets alone count the three offsets left");

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "unread"));
            producer.commitTransaction();
            assertEquals(1, markersWritten(counting, 6).behind(), "one committed record is not read yet");
        }
    }

    /** The group's one partition once it ends at {@code end} and no transaction is open (markers are written after the commit or abort returns). */
    private static CatchUp.PartitionLag markersWritten(CatchUp catchUp, long end) {
        CatchUp.PartitionLag[] lag = new CatchUp.PartitionLag[1];
        try {
            awaitJson("the transaction markers up to offset " + end, Duration.ofSeconds(30), () -> {
                lag[0] = catchUp.lags().get(0);
                return lag[0].end() == end && lag[0].stable() == end ? JSON.createObjectNode() : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + lag[0], e);
        }
        return lag[0];
    }
}
