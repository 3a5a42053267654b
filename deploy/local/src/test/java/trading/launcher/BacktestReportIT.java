package trading.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./pipeline backtest FILE --param abc.fast=3,8 --out DIR}: every strategy of the catalog
 * at its live values and abc at two other values side by side, the figures printed, and the HTML
 * report opened in headless Chromium with its equity and drawdown curves drawn (offline: the chart
 * library is inside the page).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BacktestReportIT {

    @Test
    void theReportOpensInABrowserWithEveryStrategysCurves(@TempDir Path dir) throws Exception {
        Path prices = ReplayFiles.write(dir.resolve("history.csv"), List.of("AAA", "BBB", "CCC"), 800, 3);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Commands.backtest(PipelineCli.parse(new String[]{"backtest", prices.toString(), "--param", "abc.fast=3,8",
                "--out", dir.resolve("out").toString()}), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, code);
        // every strategy of the catalog (qrs, in Python, through its ./run decide) and abc's two variants
        List<String> strategies = new java.util.ArrayList<>(trading.launcher.catalog.StrategyCatalog.load(
                Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize()).names());
        strategies.addAll(strategies.indexOf("abc") + 1, List.of("abc[fast=3]", "abc[fast=8]"));
        assertTrue(strategies.contains("qrs"), strategies.toString());
        for (String strategy : strategies) {
            assertTrue(output.lines().anyMatch(line -> line.startsWith(strategy + " ") && line.contains("%")),
                    "a line of figures for " + strategy);
        }
        assertTrue(output.contains("abc: sma-crossover fast=5 slow=20, quantity 100 (the live values, strategies/abc.properties)"),
                "says where the values come from");
        Path report = dir.resolve("out/report.html");
        assertTrue(Files.size(report) > 500_000, "the chart library is inside the page");
        assertTrue(!java.util.regex.Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//").matcher(Files.readString(report)).find(),
                "the page loads nothing from the network (no script, style or link from another address)");

        try (DashboardPage page = new DashboardPage(report.toUri().toString())) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Long>> points = page.await("the report's curves", Duration.ofSeconds(30),
                    d -> (Map<String, Map<String, Long>>) ((JavascriptExecutor) d).executeScript(
                            "return window.report ? window.report.points() : null;"));
            for (String chart : List.of("equity", "drawdown")) {
                for (String strategy : strategies) {
                    assertTrue(points.get(chart).getOrDefault(strategy, 0L) > 5, chart + " of " + strategy + ": " + points);
                }
            }
            @SuppressWarnings("unchecked")
            List<String> rows = (List<String>) ((JavascriptExecutor) page.driver()).executeScript(
                    "return [...document.querySelectorAll('#figures tbody tr')].map(r => r.cells[0].textContent);");
            assertEquals(strategies.size() + 1, rows.size(), "a row per strategy and one for all: " + rows);
            page.screenshot(Path.of("target/backtest-report.png"));
        }
    }
}
