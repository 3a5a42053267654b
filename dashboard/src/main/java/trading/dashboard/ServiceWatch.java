package trading.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.support.KafkaConnection;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the dashboard learns by asking, on a timer, so that any number of open pages cost the
 * services the same: every {@code dashboard.poll-interval}, order-execution's positions (the
 * ticker list's position columns, P&amp;L per strategy and its equity curve) and kill switch,
 * price-feed's status, what each strategy is ({@link Strategies}) and the consumer lag of each group
 * (Kafka's admin API); twice a second, every strategy's state of the tickers some page has
 * selected, for the indicator lines.
 */
@ApplicationScoped
public class ServiceWatch {

    private static final Logger LOG = Logger.getLogger(ServiceWatch.class);
    /** Equity points kept per strategy: two hours at the default 2 s. */
    static final int EQUITY_POINTS = 3_600;
    /** Indicator points kept per selected ticker. */
    static final int INDICATOR_POINTS = PriceHistory.CAPACITY;
    /** A ticker no page shows keeps its indicator lines this long (for a page that goes back to it), unasked. */
    static final long UNWATCHED_AFTER_MILLIS = 60_000;

    private final ServiceClient services;
    private final MarketBoard board;
    private final Blotter blotter;
    private final TopicReader reader;
    private final ObjectMapper json;
    private final Strategies strategies;
    private final Duration pollInterval;
    private final List<String> groups;
    private final KafkaConnection kafka;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dashboard-service-watch");
        thread.setDaemon(true);
        return thread;
    });
    private Admin admin;

    private volatile ObjectNode status;
    private final Map<String, Series> equity = new ConcurrentHashMap<>();
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    /** The tickers open pages show: the only ones whose indicators are asked for. */
    private volatile Set<String> shown = Set.of();

    /**
     * A selected ticker's indicator lines, per strategy {@code [time, value...]} in the order its
     * {@code GET /strategy} lists its indicators, and each strategy's latest state of it.
     */
    static final class Watched {
        final Map<String, Series> indicators = new ConcurrentHashMap<>();
        final Map<String, JsonNode> states = new ConcurrentHashMap<>();
        final Map<String, Long> sequences = new ConcurrentHashMap<>();
        volatile long lastWantedMillis = System.currentTimeMillis();

        Series series(String strategy) {
            return indicators.computeIfAbsent(strategy, s -> new Series(INDICATOR_POINTS));
        }
    }

    public ServiceWatch(ServiceClient services, MarketBoard board, Blotter blotter, TopicReader reader, ObjectMapper json,
                        Strategies strategies,
                        @ConfigProperty(name = "dashboard.poll-interval") Duration pollInterval,
                        @ConfigProperty(name = "dashboard.lag-groups") List<String> groups,
                        KafkaConnection kafka) {
        this.services = services;
        this.board = board;
        this.blotter = blotter;
        this.reader = reader;
        this.json = json;
        this.strategies = strategies;
        this.pollInterval = pollInterval;
        this.groups = groups;
        this.kafka = kafka;
        this.status = json.createObjectNode();
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "dashboard-lag");
        admin = Admin.create(config);
        timer.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::pollIndicatorsSafely, 0, 500, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** The latest status panel: kill switch, feed, lag, dead letters, P&amp;L, what is unavailable. */
    public ObjectNode status() {
        return status;
    }

    Map<String, Series> equity() {
        return equity;
    }

    /**
     * The tickers the open pages show now. Only these are asked for (each costs a call per strategy
     * every 500 ms), so what is asked is bounded by the pages, not by what they ever selected.
     */
    void showing(Set<String> tickers) {
        shown = Set.copyOf(tickers);
    }

    /** A page shows {@code ticker}: its indicator lines, kept (or started). */
    Watched watch(String ticker) {
        Watched w = watched.computeIfAbsent(ticker, t -> new Watched());
        w.lastWantedMillis = System.currentTimeMillis();
        return w;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warnf("polling the services failed: %s", e.toString()); // the next round tries again
        }
    }

    private void poll() {
        var positions = services.get(ServiceUrls.ORDER_EXECUTION, "/positions");
        var trading = services.get(ServiceUrls.ORDER_EXECUTION, "/trading");
        var feed = services.get(ServiceUrls.PRICE_FEED, "/feed");
        strategies.refresh();
        ObjectNode next = json.createObjectNode();
        ObjectNode unavailable = next.putObject("unavailable");
        long now = System.currentTimeMillis();
        next.put("time", now);
        var described = next.putArray("strategies");
        strategies.known().forEach(known -> described.add(known.description()));
        strategies.unavailable().forEach(unavailable::put);

        ServiceClient.Answer kill = trading.join();
        if (kill.ok()) {
            next.set("trading", kill.body());
        } else {
            unavailable.put("trading", kill.why());
        }

        ServiceClient.Answer feedAnswer = feed.join();
        if (feedAnswer.ok() && feedAnswer.body() instanceof ObjectNode feedStatus) {
            feedStatus.remove("tickers"); // up to thousands of names; the ticker list shows them
            next.set("feed", feedStatus);
        } else {
            unavailable.put("feed", feedAnswer.why());
        }

        ServiceClient.Answer books = positions.join();
        if (books.ok()) {
            next.set("pnl", pnl(books.body(), now));
        } else {
            unavailable.put("pnl", books.why());
        }

        try {
            next.set("lag", lag());
        } catch (Exception e) {
            unavailable.put("lag", "Kafka's admin API did not answer: " + e.getMessage());
        }

        ObjectNode deadLetters = next.putObject("deadLetters");
        reader.deadLetters().forEach(deadLetters::put);
        deadLetters.put("lastReason", reader.lastDeadLetterReason());

        ObjectNode orders = next.putObject("orders");
        blotter.countsByStatus().forEach(orders::put);

        ObjectNode self = next.putObject("dashboard");
        self.put("pricesRead", reader.pricesRead());
        self.put("tickers", board.tickerCount());
        shown.stream().sorted().forEach(self.putArray("shown")::add);
        self.put("undecodable", reader.undecodable());
        if (reader.lastError() != null) {
            unavailable.put("topics", "reading the topics failed: " + reader.lastError());
        }
        status = next;
    }

    /** Positions into the ticker list; totals per strategy into the P&amp;L panel and the equity curve. */
    private JsonNode pnl(JsonNode positions, long now) {
        Map<String, BigDecimal[]> totals = new LinkedHashMap<>();
        for (JsonNode position : positions) {
            String strategy = position.path("strategy").asText();
            board.onPosition(strategy, position.path("ticker").asText(), position.path("quantity").decimalValue());
            BigDecimal[] sums = totals.computeIfAbsent(strategy, s -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            sums[0] = sums[0].add(position.path("realizedPnl").decimalValue());
            sums[1] = sums[1].add(position.path("unrealizedPnl").decimalValue());
            sums[2] = sums[2].add(BigDecimal.ONE);
        }
        var out = json.createArrayNode();
        totals.forEach((strategy, sums) -> {
            BigDecimal total = sums[0].add(sums[1]);
            out.addObject().put("strategy", strategy).put("positions", sums[2].intValue())
                    .put("realizedPnl", sums[0]).put("unrealizedPnl", sums[1]).put("totalPnl", total);
            equity.computeIfAbsent(strategy, s -> new Series(EQUITY_POINTS)).add(now, total.doubleValue());
        });
        return out;
    }

    /** Per group: committed offsets behind the last committed record of each input partition. */
    private JsonNode lag() throws Exception {
        ObjectNode out = json.createObjectNode();
        List<String> all = new java.util.ArrayList<>();
        strategies.known().forEach(known -> all.add(known.applicationId()));
        all.addAll(groups);
        for (String group : all) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().stream()
                    .filter(partition -> !partition.topic().startsWith(group)) // not its own repartition topics
                    .forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            if (committed.isEmpty()) {
                out.putNull(group); // the group has committed nothing yet
                continue;
            }
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(5, TimeUnit.SECONDS);
            long behind = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += Math.max(0, end.getValue().offset() - (at == null ? 0 : at.offset()));
            }
            out.put(group, behind);
        }
        return out;
    }

    private void pollIndicatorsSafely() {
        try {
            pollIndicators();
        } catch (RuntimeException e) {
            LOG.warnf("asking the strategies for indicators failed: %s", e.toString());
        }
    }

    private void pollIndicators() {
        long now = System.currentTimeMillis();
        Set<String> asking = shown;
        watched.entrySet().removeIf(entry -> !asking.contains(entry.getKey())
                && now - entry.getValue().lastWantedMillis > UNWATCHED_AFTER_MILLIS);
        for (Map.Entry<String, Watched> entry : Set.copyOf(watched.entrySet())) {
            String ticker = entry.getKey();
            if (!asking.contains(ticker)) {
                continue;
            }
            Watched w = entry.getValue();
            Map<Strategies.Known, java.util.concurrent.CompletableFuture<ServiceClient.Answer>> asked = new LinkedHashMap<>();
            for (Strategies.Known strategy : strategies.known()) {
                asked.put(strategy, services.getAt(strategy.service(), strategy.url(), "/state/" + ticker));
            }
            PriceHistory history = board.history(ticker);
            asked.forEach((strategy, future) -> {
                ServiceClient.Answer answer = future.join();
                if (!answer.ok()) {
                    return;
                }
                w.states.put(strategy.name(), answer.body());
                long sequence = answer.body().path("sequence").asLong();
                long time = history == null ? -1 : history.timeOf(sequence);
                if (sequence != w.sequences.getOrDefault(strategy.name(), -1L) && time >= 0) {
                    w.sequences.put(strategy.name(), sequence);
                    List<String> names = strategy.indicatorNames();
                    double[] point = new double[names.size() + 1];
                    point[0] = time;
                    for (int i = 0; i < names.size(); i++) {
                        point[i + 1] = number(answer.body().path("indicators"), names.get(i));
                    }
                    w.series(strategy.name()).add(point);
                }
            });
        }
    }

    /** An indicator's value, NaN while the strategy has not enough prices for it (drawn as a gap). */
    private static double number(JsonNode indicators, String field) {
        JsonNode value = indicators.get(field);
        return value == null || value.isNull() ? Double.NaN : value.asDouble();
    }
}
