package trading.launcher;

import trading.launcher.stack.HttpCredentials;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackConfig.Service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user does on the dashboard, in headless Chromium, against a running stack: watches prices
 * tick, selects a ticker and sees its chart with indicator lines, sees an order appear and fill, sees
 * P&amp;L, halts from the page (only with the risk login), sees rejections with the reason, resumes
 * and sees fills again. Leaves trading resumed and a screenshot in {@code target/dashboard.png}.
 */
final class DashboardScenario {

    private DashboardScenario() {
    }

    static void run(StackConfig config, HttpCredentials credentials, Path screenshot) throws Exception {
        try (DashboardPage page = new DashboardPage(config.serviceUrl(Service.DASHBOARD, 0) + "/")) {
            // prices tick
            String first = page.await("AAPL's last price on the page", Duration.ofSeconds(60), d -> page.lastPrice("AAPL"));
            page.await("AAPL's price to change on the page", Duration.ofSeconds(60),
                    d -> !first.equals(page.lastPrice("AAPL")));

            // every strategy of the catalog has its column, drawn from what it says it is (GET /strategy)
            List<String> strategies = config.strategies().stream().map(s -> s.strategy().name()).sorted().toList();
            page.await("a position column per strategy " + strategies, Duration.ofSeconds(60),
                    d -> page.tickerColumns().containsAll(strategies) ? true : null);

            // a selected ticker draws its chart with every strategy's indicators, as each describes them
            page.select("AAPL");
            Map<String, Long> series = page.await("AAPL's chart with price and every strategy's indicators",
                    Duration.ofSeconds(90), d -> {
                Map<String, Long> lengths = page.seriesLengths();
                boolean all = lengths.getOrDefault("price", 0L) > 20;
                for (String strategy : strategies) {
                    // its indicator lines are named "<strategy> <label>", its orders "<strategy> orders"
                    all &= lengths.entrySet().stream().anyMatch(e -> e.getKey().startsWith(strategy + " ")
                            && !e.getKey().equals(strategy + " orders") && e.getValue() > 1);
                }
                return all ? lengths : null;
            });
            System.out.println("dashboard chart series: " + series);
            for (String expected : List.of("abc SMA 5", "abc SMA 20", "xyz RSI 14", "abc-slow SMA 10", "abc-slow SMA 50")) {
                assertTrue(series.containsKey(expected), "the series " + expected + " from the strategies' own descriptions: " + series);
            }

            // an order that was not on the page appears and is FILLED
            Set<String> before = page.orderIds();
            page.await("a new order row, FILLED", Duration.ofSeconds(60), d -> page.blotter().stream()
                    .anyMatch(row -> !before.contains(row.orderId()) && row.status().equals("FILLED")));

            // P&L is a number
            String pnl = page.await("abc's total P&L", Duration.ofSeconds(60), d -> page.totalPnl("abc"));
            Double.parseDouble(pnl.replace(",", ""));
            assertEquals("TRADING", page.await("the kill switch state", Duration.ofSeconds(30),
                    d -> page.tradingState().equals("?") ? null : page.tradingState()));

            // the buttons carry the caller's login: none is 401, the viewer is 403, neither halts
            page.killSwitch("halt", null, null, "it: no login");
            page.await("the refusal of a halt without a login", Duration.ofSeconds(10), d -> page.killMessage().startsWith("401"));
            page.killSwitch("halt", credentials.viewer().user(), credentials.viewer().password(), "it: viewer");
            page.await("the refusal of the viewer's halt", Duration.ofSeconds(10), d -> page.killMessage().startsWith("403"));
            assertEquals("TRADING", page.tradingState());

            // the risk login halts; orders decided from now on are rejected with the reason
            String reason = "it: halted from the dashboard";
            page.killSwitch("halt", credentials.risk().user(), credentials.risk().password(), reason);
            page.await("HALTED on the page", Duration.ofSeconds(10), d -> page.tradingState().equals("HALTED"));
            assertTrue(page.killMessage().contains("by " + credentials.risk().user()), page.killMessage());
            DashboardPage.Row rejected = page.await("a rejected order with the halt's reason", Duration.ofSeconds(60),
                    d -> page.blotter().stream().filter(row -> row.status().equals("REJECTED")
                            && row.reason().contains(reason)).findFirst().orElse(null));
            assertNotNull(rejected);
            page.screenshot(screenshot.resolveSibling("dashboard-halted.png"));

            // resuming brings fills back
            Set<String> whileHalted = page.orderIds();
            page.killSwitch("resume", credentials.risk().user(), credentials.risk().password(), "");
            page.await("TRADING on the page", Duration.ofSeconds(10), d -> page.tradingState().equals("TRADING"));
            page.await("a fill after the resume", Duration.ofSeconds(60), d -> page.blotter().stream()
                    .anyMatch(row -> !whileHalted.contains(row.orderId()) && row.status().equals("FILLED")));
            page.screenshot(screenshot);
            System.out.println("dashboard screenshot: " + screenshot.toAbsolutePath());
        }
    }
}
