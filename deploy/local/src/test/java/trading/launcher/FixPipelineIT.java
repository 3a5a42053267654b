package trading.launcher;

import trading.launcher.stack.HttpCredentials;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import trading.launcher.ItHttp.Reply;
import trading.launcher.stack.StackConfig.Service;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static trading.launcher.ItHttp.awaitJson;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * order-execution on the FIX broker, as {@code ./pipeline up --broker fix} runs it: a real FIX 4.4
 * session on loopback to the exchange simulator, which fills each order in two parts four seconds
 * after it arrives, so that orders are caught between "sent" and "filled" when order-execution is
 * killed. Kafka is locked as {@code ./pipeline up --secure} locks it (TLS, SCRAM, an ACL'd user per
 * service), and every HTTP read needs a login: the whole flow runs with security on.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FixPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Stack stack;
    private static StackConfig config;

    /** The catalog's strategies this test knows by name (strategies/). */
    private static Service abc() {
        return config.strategy("abc");
    }

    private static Service xyz() {
        return config.strategy("xyz");
    }
    private static final TestTokens TOKENS = new TestTokens();

    @BeforeAll
    static void startStack() {
        Path home = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();
        // this stack also requires a login for reads: every GET below logs in as the viewer
        Path publicKey;
        try {
            publicKey = TOKENS.writePublicKey(home.resolve("deploy/local/target/it-fix-token-issuer.pem"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // bearer tokens from an issuer of the test's own are accepted beside the Basic logins
        config = new StackConfig(home, home.resolve("deploy/local/target/it-fix-run"), false, 3000, 1, 200, 11,
                List.of(StackConfig.QUICK_START_JVM.get(0), "-Dpipeline.http.reads-need-login=true", "-Dmp.jwt.verify.publickey.location=" + publicKey,
                        "-Dmp.jwt.verify.issuer=" + TestTokens.ISSUER), Map.of(), StackConfig.FIX,
                // a hostile exchange: one report in five comes after a bad copy of itself (a quantity or
                // price the wire cannot carry, a field missing, a stale status from before any fill)
                Map.of("exchange.fill-delay", "PT4S", "exchange.fill-parts", "2", "exchange.hostile-rate", "0.2"), true);
        stack = new Stack(config, System.out);
        stack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void ordersReachTheExchangeOverFixAndComeBackFilledInParts() {
        // 4 min: on a slow day the services took 90 s to start and order-execution's first stream
        // thread was replaced (its first registry lookup timed out) before the first order went out
        JsonNode filled = awaitJson("an order filled over FIX", Duration.ofMinutes(4), () -> {
            for (JsonNode order : get(Service.ORDER_EXECUTION, "/orders?limit=10000").body()) {
                if (order.path("status").asText().equals("FILLED")) {
                    return order;
                }
            }
            return null;
        });
        assertEquals("fix", filled.path("broker").asText());
        assertTrue(filled.path("brokerOrderId").asText().startsWith("X"), filled.toString());
        JsonNode atExchange = get(Service.EXCHANGE_SIMULATOR, "/exchange/orders/" + filled.path("orderId").asText()).body();
        assertEquals("FILLED", atExchange.path("status").asText());
        assertEquals(2, atExchange.path("fills").asInt(), "two partial fills");
        assertEquals(0, atExchange.path("averagePrice").decimalValue().compareTo(filled.path("fillPrice").decimalValue()));
        JsonNode broker = get(Service.ORDER_EXECUTION, "/broker").body();
        assertTrue(broker.path("fix").path("loggedOn").asBoolean(), broker.toString());
    }

    @Test
    @Order(2)
    void aCrashBetweenSendingAndTheFillSendsNothingTwiceAndTheHaltOutlivesIt() {
        // orders wait four seconds at the exchange: catch some in SENT, halt, and kill at once
        awaitJson("orders sent and not yet filled", Duration.ofMinutes(1), () -> {
            Set<String> sent = sentIds();
            return sent != null && sent.size() >= 2 ? JSON.nullNode() : null;
        });
        Reply halt = post(Service.ORDER_EXECUTION, "/trading/halt", "{\"reason\":\"it: crash drill\"}");
        assertEquals(200, halt.status(), halt.body().toString());
        Set<String> caught = sentIds();
        stack.kill("order-execution-0");
        assertNotNull(caught, "order-execution answered whole before the kill");
        assertFalse(caught.isEmpty(), "orders were between sent and filled when order-execution died");

        stack.restart("order-execution-0");
        JsonNode trading = get(Service.ORDER_EXECUTION, "/trading").body();
        assertTrue(trading.path("halted").asBoolean(), "the halt outlived the crash: " + trading);
        assertEquals("it: crash drill", trading.path("reason").asText());
        assertTrue(trading.path("changedBy").asText().startsWith(stack.credentials().risk().user() + " via "),
                "the halt names who halted: " + trading);

        // The fills the exchange sent while order-execution was down arrive after the reconnect. A
        // caught order whose intent was still in an open transaction at the kill was never sent:
        // it is processed again after the restart, under the halt, and rejected.
        Map<String, String> outcome = new HashMap<>();
        awaitJson("the caught orders done", Duration.ofMinutes(4), () -> {
            for (String id : caught) {
                Reply order = get(Service.ORDER_EXECUTION, "/orders/" + id);
                String status = order.status() == 200 ? order.body().path("status").asText() : "";
                if (!status.equals("FILLED") && !status.equals("REJECTED")) {
                    return null;
                }
                outcome.put(id, status);
            }
            return JSON.nullNode();
        });
        assertTrue(outcome.containsValue("FILLED"), "some caught order was filled after the restart: " + outcome);
        for (Map.Entry<String, String> caughtOrder : outcome.entrySet()) {
            Reply atExchange = get(Service.EXCHANGE_SIMULATOR, "/exchange/orders/" + caughtOrder.getKey());
            assertEquals(caughtOrder.getValue().equals("FILLED") ? 200 : 404, atExchange.status(),
                    caughtOrder + " at the exchange: " + atExchange.body());
        }
        JsonNode exchangeStats = get(Service.EXCHANGE_SIMULATOR, "/exchange/stats").body();
        assertEquals(0, exchangeStats.path("duplicates").asLong(), "no ClOrdID arrived twice: " + exchangeStats);
        // the bad reports were refused, the session went on, and what follows holds all the same
        assertTrue(exchangeStats.path("hostileReports").asLong() >= 4, "every kind of bad report was sent: " + exchangeStats);

        // everything the exchange holds is known here, and everything sent here is at the exchange once
        awaitJson("no order working", Duration.ofMinutes(1), () -> {
            Set<String> sent = sentIds();
            return sent != null && sent.isEmpty() ? JSON.nullNode() : null;
        });
        Map<String, JsonNode> here = new HashMap<>();
        List<JsonNode> everyOrder = allOrders();
        assertNotNull(everyOrder, "order-execution answers whole");
        everyOrder.forEach(o -> here.put(o.path("orderId").asText(), o));
        JsonNode atExchange = get(Service.EXCHANGE_SIMULATOR, "/exchange/orders").body();
        Set<String> exchangeIds = new HashSet<>();
        for (JsonNode order : atExchange) {
            assertTrue(exchangeIds.add(order.path("clOrdId").asText()));
            JsonNode mine = here.get(order.path("clOrdId").asText());
            assertTrue(mine != null, "the exchange has an order order-execution never made: " + order);
            assertEquals(order.path("status").asText(), mine.path("status").asText(), mine.toString());
            assertEquals(0, order.path("filledQuantity").decimalValue().compareTo(mine.path("filledQuantity").decimalValue()));
        }
        for (JsonNode mine : here.values()) {
            boolean reachedBroker = !mine.path("status").asText().equals("REJECTED") || mine.path("brokerOrderId").isTextual();
            assertEquals(reachedBroker, exchangeIds.contains(mine.path("orderId").asText()), mine.toString());
        }
        assertPositionsEqualTheSumOfFills(here.values());
    }

    @Test
    @Order(3)
    void whileHaltedNewOrdersAreRejectedWithTheReasonAndAfterResumeTheyFillAgain() {
        // nothing was working when the last test ended: while halted, the exchange gets nothing new
        long atExchange = get(Service.EXCHANGE_SIMULATOR, "/exchange/stats").body().path("orders").asLong();
        long rejectedBefore = rejectedForHalt();
        assertTrue(rejectedBefore >= 0, "order-execution answers whole");
        awaitJson("an order rejected by the halt", Duration.ofMinutes(1),
                () -> rejectedForHalt() > rejectedBefore ? JSON.nullNode() : null);
        assertEquals(atExchange, get(Service.EXCHANGE_SIMULATOR, "/exchange/stats").body().path("orders").asLong(),
                "no order reached the exchange while trading was halted");

        Reply anonymous = ItHttp.post(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading/resume", "");
        assertEquals(401, anonymous.status(), "with the FIX broker too, no one resumes anonymously: " + anonymous.body());
        assertTrue(get(Service.ORDER_EXECUTION, "/trading").body().path("halted").asBoolean());
        Reply resume = post(Service.ORDER_EXECUTION, "/trading/resume", "");
        assertEquals(200, resume.status());
        assertFalse(resume.body().path("halted").asBoolean());
        awaitJson("a new order at the exchange after resume", Duration.ofMinutes(1), () ->
                get(Service.EXCHANGE_SIMULATOR, "/exchange/stats").body().path("orders").asLong() > atExchange ? JSON.nullNode() : null);

        // the hostile exchange's bad reports: refused one by one (a session Reject each), the session up
        JsonNode gateway = awaitJson("the gateway refusing an unreadable report", Duration.ofMinutes(2), () -> {
            JsonNode fix = get(Service.ORDER_EXECUTION, "/broker").body().path("fix");
            return fix.path("unreadableReports").asLong() > 0 ? fix : null;
        });
        assertTrue(gateway.path("loggedOn").asBoolean(), "its session is up: " + gateway);

        Reply tooLong = post(Service.ORDER_EXECUTION, "/trading/halt", "{\"reason\":\"" + "x".repeat(201) + "\"}");
        assertEquals(400, tooLong.status());
        assertTrue(tooLong.body().path("error").asText().contains("at most 200"), tooLong.body().toString());
    }

    @Test
    @Order(4)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void withLoginsRequiredReadsAndControlRefuseAnonymousAndMalformedRequestsBreakNothing() {
        for (Service service : List.of(Service.PRICE_FEED, abc(), Service.ORDER_EXECUTION, Service.EXCHANGE_SIMULATOR,
                Service.DASHBOARD)) {
            String path = PipelineIT.paths(service).get(0);
            Reply anonymous = ItHttp.get(config.serviceUrl(service, 0) + path);
            assertEquals(401, anonymous.status(), service.module() + path + " without a login: " + anonymous.body());
            assertEquals(200, get(service, path).status(), service.module() + path + " as the viewer");
            assertEquals(200, ItHttp.get(config.serviceUrl(service, 0) + "/q/health/ready").status(), "probes stay open");
        }
        // the dashboard reads the services with the launcher's read-only login
        awaitJson("the dashboard's status, read with its login", Duration.ofSeconds(30), () -> {
            JsonNode status = get(Service.DASHBOARD, "/api/status").body();
            return status.has("trading") && status.has("pnl") && status.path("unavailable").isEmpty() ? status : null;
        });
        Reply viewerHalts = ItHttp.post(config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading/halt", "{}",
                stack.credentials().viewer());
        assertEquals(403, viewerHalts.status(), viewerHalts.body().toString());

        // failed logins are limited per name and caller: the sixth guess in a minute is not even checked
        String halt = config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading/halt";
        for (int guess = 1; guess <= 5; guess++) {
            Reply wrong = ItHttp.post(halt, "{}", new HttpCredentials.Login("mallory", "guess-" + guess));
            assertEquals("wrong user name or password", wrong.body().path("error").asText(), "guess " + guess);
        }
        Reply throttled = ItHttp.post(halt, "{}", new HttpCredentials.Login("mallory", "guess-6"));
        assertEquals(401, throttled.status());
        assertTrue(throttled.body().path("error").asText().startsWith("too many failed logins as 'mallory': try again in"),
                throttled.body().toString());
        assertEquals(403, ItHttp.post(halt, "{}", stack.credentials().viewer()).status(), "another name is not held up");

        long ordersBefore = get(Service.ORDER_EXECUTION, "/stats").body().path("orders").asLong();
        for (Service service : List.of(Service.PRICE_FEED, abc(), xyz(), Service.ORDER_EXECUTION,
                Service.EXCHANGE_SIMULATOR, Service.DASHBOARD)) {
            String control = service == Service.DASHBOARD ? "/api/trading" : service == Service.PRICE_FEED ? "/feed/stop" : "/trading";
            HttpFuzz.Report report = new HttpFuzz("localhost", config.port(service, 0), PipelineIT.paths(service), control, true,
                    2_000 + service.basePort()).run(1_000, 15_000);
            System.out.println(service.module() + " (logins required): " + report);
            assertEquals(List.of(), report.serverErrors(), service.module() + ": " + report);
            assertEquals(List.of(), report.hangs(), service.module() + ": " + report);
            assertEquals(List.of(), report.controlAccepted(), service.module() + ": " + report);
            assertEquals(List.of(), report.readWithoutLogin(), service.module() + ": " + report);
        }
        assertFalse(get(Service.ORDER_EXECUTION, "/trading").body().path("halted").asBoolean(), "no one halted trading");
        awaitJson("orders still flowing after the fuzzing", Duration.ofMinutes(1), () ->
                get(Service.ORDER_EXECUTION, "/stats").body().path("orders").asLong() > ordersBefore ? JSON.nullNode() : null);
    }

    @Test
    @Order(5)
    void kafkaLetsInOnlyKnownUsersAndEachServiceOnlyWhereItsAclsAllow() {
        KafkaLocks locks = new KafkaLocks(config);
        assertEquals(KafkaLocks.Answer.ALLOWED, locks.connect(locks.as("strategy-abc")), "a service's own login");
        assertEquals(KafkaLocks.Answer.NOT_AUTHENTICATED, locks.connect(locks.withPassword("strategy-abc", "guessed")),
                "a wrong password");
        assertEquals(KafkaLocks.Answer.NOT_AUTHENTICATED, locks.connect(locks.withPassword("nobody", "guessed")),
                "a user that does not exist");
        assertTrue(locks.connect(locks.anonymous()) != KafkaLocks.Answer.ALLOWED, "a client without TLS and credentials");
        assertTrue(locks.write(locks.anonymous(), "prices") != KafkaLocks.Answer.ALLOWED, "an anonymous price");

        // what each may do: the controls that show the refusals below are the ACLs, not a broken login
        assertEquals(KafkaLocks.Answer.ALLOWED, locks.read(locks.as("strategy-abc"), "prices"), "strategy-abc reads prices");
        assertEquals(KafkaLocks.Answer.ALLOWED, locks.read(locks.as("dashboard"), "executions"), "the dashboard reads executions");
        // and what they may not
        assertEquals(KafkaLocks.Answer.NOT_AUTHORISED, locks.write(locks.as("strategy-abc"), "executions"),
                "strategy-abc writes executions");
        assertEquals(KafkaLocks.Answer.NOT_AUTHORISED, locks.read(locks.as("strategy-abc"), "broker.orders"),
                "strategy-abc reads broker.orders");
        assertEquals(KafkaLocks.Answer.NOT_AUTHORISED, locks.write(locks.as("price-feed"), "orders"), "price-feed writes orders");
        assertEquals(KafkaLocks.Answer.NOT_AUTHORISED, locks.write(locks.as("order-execution"), "prices"),
                "order-execution writes prices");
        assertEquals(KafkaLocks.Answer.NOT_AUTHORISED, locks.write(locks.as("dashboard"), "orders"), "the dashboard writes orders");
        assertEquals(KafkaLocks.Answer.NOT_AUTHORISED, locks.read(locks.as("exchange-simulator"), "orders"),
                "the exchange reads orders");
    }

    @Test
    @Order(6)
    void aBearerTokenFromTheTrustedIssuerWithTheRiskRoleHaltsAndNothingElseDoes() {
        String halt = config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading/halt";
        String resume = config.serviceUrl(Service.ORDER_EXECUTION, 0) + "/trading/resume";
        String body = "{\"reason\":\"it: token drill\"}";
        assertEquals(401, ItHttp.postWithToken(halt, body, TestTokens.forgedToken("mallory", List.of("risk"))).status(),
                "signed by a key nobody trusts");
        assertEquals(401, ItHttp.postWithToken(halt, body, TOKENS.token("alice", List.of("risk"), "someone-else", java.time.Instant.now()))
                .status(), "from another issuer");
        assertEquals(401, ItHttp.postWithToken(halt, body, TOKENS.token("alice", List.of("risk"), TestTokens.ISSUER,
                java.time.Instant.now().minus(Duration.ofHours(1)))).status(), "expired");
        assertEquals(401, ItHttp.postWithToken(halt, body, TOKENS.token("alice", List.of("risk"), TestTokens.ISSUER,
                java.time.Instant.now(), "another-application")).status(), "issued for another application (its audience)");
        Reply viewer = ItHttp.postWithToken(halt, body, TOKENS.token("bob", List.of("viewer")));
        assertEquals(403, viewer.status(), viewer.body().toString());
        assertFalse(get(Service.ORDER_EXECUTION, "/trading").body().path("halted").asBoolean(), "nothing above halted");

        Reply halted = ItHttp.postWithToken(halt, body, TOKENS.token("alice", List.of("risk")));
        assertEquals(200, halted.status(), halted.body().toString());
        JsonNode state = get(Service.ORDER_EXECUTION, "/trading").body();
        assertTrue(state.path("halted").asBoolean(), state.toString());
        assertTrue(state.path("changedBy").asText().startsWith("alice"), "the token's user is recorded: " + state);
        Reply resumed = ItHttp.postWithToken(resume, "{}", TOKENS.token("alice", List.of("risk")));
        assertEquals(200, resumed.status(), resumed.body().toString());
        assertFalse(get(Service.ORDER_EXECUTION, "/trading").body().path("halted").asBoolean());
    }

    private long rejectedForHalt() {
        long count = 0;
        List<JsonNode> everyOrder = allOrders();
        if (everyOrder == null) {
            return -1; // not whole now: a probe asks again
        }
        for (JsonNode order : everyOrder) {
            if (order.path("reason").asText().equals("trading halted: it: crash drill")) {
                count++;
            }
        }
        return count;
    }

    private static void assertPositionsEqualTheSumOfFills(Iterable<JsonNode> orders) {
        Map<String, BigDecimal> fills = new HashMap<>();
        for (JsonNode order : orders) {
            BigDecimal filled = order.path("filledQuantity").decimalValue();
            if (filled.signum() != 0) {
                fills.merge(order.path("strategy").asText() + "|" + order.path("ticker").asText(),
                        order.path("side").asText().equals("BUY") ? filled : filled.negate(), BigDecimal::add);
            }
        }
        Map<String, BigDecimal> positions = new HashMap<>();
        for (JsonNode position : get(Service.ORDER_EXECUTION, "/positions").body()) {
            positions.put(position.path("strategy").asText() + "|" + position.path("ticker").asText(),
                    position.path("quantity").decimalValue());
        }
        assertFalse(fills.isEmpty());
        fills.forEach((key, quantity) -> assertEquals(0, quantity.compareTo(positions.getOrDefault(key, BigDecimal.ZERO)),
                "position " + key + " is the sum of its fills"));
    }

    /** Orders sent and not done; null while order-execution cannot answer whole. */
    private static Set<String> sentIds() {
        List<JsonNode> everyOrder = allOrders();
        if (everyOrder == null) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode order : everyOrder) {
            String status = order.path("status").asText();
            if (status.equals("SENT") || status.equals("PARTIALLY_FILLED") || status.equals("NEW")) {
                ids.add(order.path("orderId").asText());
            }
        }
        return ids;
    }

    /**
     * Every order order-execution holds, page by page (newest first, {@code before} the last of the
     * previous page): on a slow day the halted strategies' rejected orders pass 10 000, the most
     * one page holds. Null while order-execution cannot answer whole (503 during a restart).
     */
    private static List<JsonNode> allOrders() {
        List<JsonNode> orders = new java.util.ArrayList<>();
        String before = null;
        while (true) {
            Reply page = get(Service.ORDER_EXECUTION, "/orders?limit=10000" + (before == null ? "" : "&before=" + before));
            if (page.status() != 200) {
                return null;
            }
            page.body().forEach(orders::add);
            if (page.body().size() < 10_000) {
                return orders;
            }
            JsonNode last = page.body().get(page.body().size() - 1);
            before = last.path("decisionTimeMicros").asText() + ":" + last.path("orderId").asText();
        }
    }

    /** A read as the stack's viewer (reads need a login on this stack). */
    private static Reply get(Service service, String path) {
        return ItHttp.get(config.serviceUrl(service, 0) + path, "Authorization", stack.credentials().viewer().authorization());
    }

    /** A control request as the stack's risk user. */
    private static Reply post(Service service, String path, String json) {
        return ItHttp.post(config.serviceUrl(service, 0) + path, json, stack.credentials().risk());
    }
}
