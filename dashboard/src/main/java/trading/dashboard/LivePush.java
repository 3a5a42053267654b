package trading.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pushes to every open page, every {@code dashboard.push-interval} (250 ms), one frame with what
 * changed since the last: ticker rows and orders (each at most once, its newest value: see
 * {@link Coalescer}), the selected ticker's new chart points, and the status panel when it was
 * polled again. A page whose previous frame is still being sent is skipped, never queued behind,
 * and gets everything anew on its next turn; so a slow browser costs memory for one frame at most,
 * and 5 000 prices/s reach it as at most four updates per ticker per second.
 */
@ApplicationScoped
public class LivePush {

    private static final Logger LOG = Logger.getLogger(LivePush.class);
    /** Orders a page gets when it connects. */
    static final int INITIAL_ORDERS = 200;
    /** At most this many new chart points per frame (the newest). */
    static final int MAX_POINTS_PER_FRAME = 200;

    private final MarketBoard board;
    private final Blotter blotter;
    private final ServiceWatch watch;
    private final ObjectMapper json;
    private final Duration interval;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dashboard-push");
        thread.setDaemon(true);
        return thread;
    });
    private Object lastStatus;

    /** One open page: what it shows and what it has been sent. */
    static final class Viewer {
        final WebSocketConnection connection;
        final AtomicBoolean sending = new AtomicBoolean();
        volatile boolean needsEverything = true;
        volatile String ticker;
        long pricesSent;
        final Map<String, Long> indicatorsSent = new ConcurrentHashMap<>();
        final Map<String, Long> equitySent = new ConcurrentHashMap<>();

        Viewer(WebSocketConnection connection) {
            this.connection = connection;
        }
    }

    public LivePush(MarketBoard board, Blotter blotter, ServiceWatch watch, ObjectMapper json,
                    @ConfigProperty(name = "dashboard.push-interval") Duration interval) {
        this.board = board;
        this.blotter = blotter;
        this.watch = watch;
        this.json = json;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        timer.scheduleWithFixedDelay(this::pushSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    void join(WebSocketConnection connection) {
        viewers.put(connection.id(), new Viewer(connection));
    }

    void leave(String connectionId) {
        viewers.remove(connectionId);
        watch.showing(shown());
    }

    /**
     * The page of {@code connectionId} shows {@code ticker} from now on; it may show one ticker,
     * and only one the board has seen a price of, since each shown ticker costs calls to the
     * strategies. Returns why it was refused, or null.
     */
    String select(String connectionId, String ticker) {
        if (!board.knows(ticker)) {
            return "no price of '" + ticker + "' has been seen: select a ticker of the board";
        }
        Viewer viewer = viewers.get(connectionId);
        if (viewer != null) {
            synchronized (viewer) {
                viewer.ticker = ticker;
                viewer.pricesSent = 0;
                viewer.indicatorsSent.clear();
            }
            watch.watch(ticker);
            watch.showing(shown());
        }
        return null;
    }

    private Set<String> shown() {
        Set<String> tickers = new HashSet<>();
        viewers.values().forEach(viewer -> {
            String ticker = viewer.ticker;
            if (ticker != null) {
                tickers.add(ticker);
            }
        });
        return tickers;
    }

    int viewers() {
        return viewers.size();
    }

    private void pushSafely() {
        try {
            push();
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warnf("pushing to the pages failed: %s", e.toString());
        }
    }

    private void push() throws JsonProcessingException {
        // drained once per round, whether or not a page is open: what a page missed, it gets whole
        List<MarketBoard.TickerRow> rows = board.changedRows();
        List<Blotter.OrderRow> orders = blotter.changedRows();
        Object status = watch.status();
        boolean newStatus = status != lastStatus;
        lastStatus = status;
        if (viewers.isEmpty()) {
            return;
        }
        String rowsJson = rows.isEmpty() ? null : json.writeValueAsString(rows);
        String ordersJson = orders.isEmpty() ? null : json.writeValueAsString(orders);
        String statusJson = json.writeValueAsString(status);
        for (Viewer viewer : viewers.values()) {
            if (!viewer.sending.compareAndSet(false, true)) {
                viewer.needsEverything = true; // still sending the last frame: skip, send it all next time
                continue;
            }
            String frame;
            synchronized (viewer) {
                frame = frame(viewer, rowsJson, ordersJson, newStatus ? statusJson : null, statusJson);
            }
            if (frame == null) {
                viewer.sending.set(false);
                continue;
            }
            viewer.connection.sendText(frame).subscribe().with(
                    done -> viewer.sending.set(false),
                    failure -> {
                        viewer.sending.set(false);
                        viewer.needsEverything = true;
                    });
        }
    }

    private String frame(Viewer viewer, String rowsJson, String ordersJson, String newStatusJson, String statusJson)
            throws JsonProcessingException {
        Map<String, Object> parts = new LinkedHashMap<>();
        boolean everything = viewer.needsEverything;
        if (everything) {
            viewer.needsEverything = false;
            viewer.pricesSent = 0;
            viewer.indicatorsSent.clear();
            viewer.equitySent.clear();
            parts.put("snapshot", true);
            parts.put("tickers", board.allRows());
            parts.put("orders", blotter.newest(null, null, INITIAL_ORDERS));
            parts.put("status", watch.status());
        } else {
            putRaw(parts, "tickers", rowsJson);
            putRaw(parts, "orders", ordersJson);
            putRaw(parts, "status", newStatusJson);
        }
        Map<String, double[][]> equityPoints = new LinkedHashMap<>();
        watch.equity().forEach((strategy, series) -> {
            PriceHistory.Points points = series.since(viewer.equitySent.getOrDefault(strategy, 0L));
            if (points.points().length > 0) {
                equityPoints.put(strategy, points.points());
                viewer.equitySent.put(strategy, points.next());
            }
        });
        if (!equityPoints.isEmpty()) {
            parts.put("equity", equityPoints);
        }
        String ticker = viewer.ticker;
        if (ticker != null) {
            Map<String, Object> chart = chart(viewer, ticker);
            if (chart != null) {
                parts.put("chart", chart);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        return json.writeValueAsString(parts);
    }

    /**
     * The selected ticker's new points: prices, each strategy's indicators ({@code [time, value...]}
     * in the order of its {@code GET /strategy}), and each strategy's latest state.
     */
    private Map<String, Object> chart(Viewer viewer, String ticker) {
        Map<String, Object> chart = new LinkedHashMap<>();
        PriceHistory history = board.history(ticker);
        if (history != null) {
            PriceHistory.Points prices = history.since(viewer.pricesSent, viewer.pricesSent == 0
                    ? PriceHistory.CAPACITY : MAX_POINTS_PER_FRAME);
            viewer.pricesSent = prices.next();
            if (prices.points().length > 0) {
                chart.put("prices", prices.points());
            }
        }
        ServiceWatch.Watched indicators = watch.watch(ticker);
        Map<String, double[][]> lines = new LinkedHashMap<>();
        indicators.indicators.forEach((strategy, series) -> {
            PriceHistory.Points points = series.since(viewer.indicatorsSent.getOrDefault(strategy, 0L));
            viewer.indicatorsSent.put(strategy, points.next());
            if (points.points().length > 0) {
                lines.put(strategy, points.points());
            }
        });
        if (!lines.isEmpty()) {
            chart.put("indicators", lines);
        }
        if (chart.isEmpty()) {
            return null;
        }
        chart.put("ticker", ticker);
        chart.put("states", Map.copyOf(indicators.states));
        return chart;
    }

    private static void putRaw(Map<String, Object> parts, String name, String rawJson) {
        if (rawJson != null) {
            parts.put(name, new com.fasterxml.jackson.databind.util.RawValue(rawJson));
        }
    }
}
