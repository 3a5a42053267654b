package trading.launcher.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import trading.launcher.stack.StackException;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A backtest as one HTML page that opens offline: per strategy (and every parameter set tried)
 * the figures of {@link Performance}, and its realized equity and drawdown curves drawn with
 * ECharts, whose script is written into the page from the launcher's own jar (no CDN). The same
 * backtest writes the same bytes.
 */
public final class BacktestReport {

    /** ECharts as the org.mvnpm artifact packs it. */
    static final String ECHARTS = "/META-INF/resources/_static/echarts/5.6.0/dist/echarts.min.js";

    private BacktestReport() {
    }

    /**
     * @param title        what was backtested (the file, or the topic and its range)
     * @param descriptions per strategy, its rule and parameters as a line of text
     */
    public static void write(Backtest.Result result, String title, Map<String, String> descriptions, Path file) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode data = json.createObjectNode();
        data.put("title", title);
        data.put("prices", result.counts().rows());
        ArrayNode strategies = data.putArray("strategies");
        result.performance().forEach((name, p) -> strategies.add(figures(json, name, descriptions.getOrDefault(name, ""), p)));
        data.set("overall", figures(json, "all", "every strategy together", result.overall()));
        String page = TEMPLATE.replace("%TITLE%", escape(title))
                .replace("%DATA%", data.toString().replace("</", "<\\/"))
                .replace("%ECHARTS%", echarts());
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StackException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode figures(ObjectMapper json, String name, String description, Performance p) {
        ObjectNode node = json.createObjectNode();
        node.put("name", name);
        node.put("description", description);
        node.put("trades", p.trades());
        node.put("winRate", Backtest.percent(p.winRate()));
        node.put("realizedPnl", money(p.realizedPnl()));
        node.put("maxDrawdown", money(p.maxDrawdown()));
        node.put("sharpe", p.sharpe() == null ? "-" : p.sharpe().toPlainString());
        node.put("exposure", Backtest.percent(p.exposure()));
        node.put("turnover", money(p.turnover()));
        ArrayNode equity = node.putArray("equity");
        ArrayNode drawdown = node.putArray("drawdown");
        for (Performance.Point point : p.curve()) {
            // exact in the table; the curves are drawn from the same decimals as numbers
            equity.addArray().add(point.timeMillis()).add(point.equity());
            drawdown.addArray().add(point.timeMillis()).add(point.drawdown());
        }
        return node;
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String echarts() {
        try (InputStream in = BacktestReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new StackException("the launcher lacks ECharts (" + ECHARTS + "): rebuild it (./mvnw package -DskipTests)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new StackException("cannot read ECharts from the launcher's jar: " + e.getMessage(), e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Backtest: %TITLE%</title>
            <style>
            body { margin: 16px; font: 13px/1.4 system-ui, sans-serif; background: #0f1419; color: #d8dee6; }
            h1 { font-size: 17px; margin: 0 0 4px; } h2 { font-size: 14px; color: #9fb3c8; margin: 18px 0 6px; }
            table { border-collapse: collapse; } th, td { padding: 3px 10px; text-align: right; white-space: nowrap; }
            th { background: #1d262f; color: #9fb3c8; } td:first-child, th:first-child, .what { text-align: left; }
            tr.all td { border-top: 1px solid #30363d; font-weight: 600; }
            .up { color: #3fb950; } .down { color: #f85149; } small { color: #8b949e; }
            .chart { height: 320px; background: #161d24; border-radius: 6px; margin-top: 6px; }
            </style>
            </head>
            <body>
            <h1>Backtest: %TITLE%</h1>
            <small id="summary"></small>
            <h2>Strategies</h2>
            <table id="figures">
            <thead><tr><th>strategy</th><th class="what">rule and parameters</th><th>trades</th><th>win rate</th><th>realized P&amp;L</th>
            <th>max drawdown</th><th>Sharpe</th><th>exposure</th><th>turnover</th></tr></thead>
            <tbody></tbody>
            </table>
            <small>Realized P&amp;L, drawdown and turnover are exact decimals. Sharpe: mean over standard deviation of
            per-trade returns (P&amp;L over entry notional), not annualised. Exposure: share of ticker-prices with a
            position. Turnover: traded notional. Fills at each order's reference price, as the paper broker fills.</small>
            <h2>Equity (realized P&amp;L)</h2>
            <div id="equity" class="chart"></div>
            <h2>Drawdown</h2>
            <div id="drawdown" class="chart"></div>
            <script>%ECHARTS%</script>
            <script>
            'use strict';
            const REPORT = %DATA%;
            const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
            document.getElementById('summary').textContent = REPORT.prices.toLocaleString('en-US') + ' prices, '
              + REPORT.strategies.length + ' strategies';
            const row = (s, cls) => `<tr class="${cls}"><td>${esc(s.name)}</td><td class="what">${esc(s.description)}</td>`
              + `<td>${s.trades}</td><td>${s.winRate}</td><td class="${Number(s.realizedPnl) >= 0 ? 'up' : 'down'}">${s.realizedPnl}</td>`
              + `<td>${s.maxDrawdown}</td><td>${s.sharpe}</td><td>${s.exposure}</td><td>${s.turnover}</td></tr>`;
            document.querySelector('#figures tbody').innerHTML = REPORT.strategies.map((s) => row(s, '')).join('')
              + row(REPORT.overall, 'all');
            const charts = {};
            for (const [id, field] of [['equity', 'equity'], ['drawdown', 'drawdown']]) {
              const chart = echarts.init(document.getElementById(id), 'dark');
              chart.setOption({
                backgroundColor: 'transparent', animation: false, tooltip: {trigger: 'axis'},
                legend: {top: 4, type: 'scroll', data: REPORT.strategies.map((s) => s.name)},
                grid: {left: 70, right: 20, top: 36, bottom: 30}, xAxis: {type: 'time'}, yAxis: {type: 'value', scale: true},
                series: REPORT.strategies.map((s) => ({name: s.name, type: 'line', step: 'end', showSymbol: false,
                  data: s[field].map(([t, v]) => [t, Number(v)])})),
              });
              charts[id] = chart;
            }
            window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
            // for tests: how many points each chart's series hold
            window.report = {points: () => Object.fromEntries(Object.entries(charts).map(([id, c]) =>
              [id, Object.fromEntries(c.getOption().series.map((s) => [s.name, s.data.length]))]))};
            </script>
            </body>
            </html>
            """;
}
