package trading.launcher;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.ScriptTimeoutException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The dashboard's page in a real browser: Debian's headless Chromium driven through its
 * chromedriver (no browser download). What a test reads and clicks, by the page's own element ids.
 */
final class DashboardPage implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of(System.getProperty("pipeline.chromedriver", "/usr/bin/chromedriver"));
    static final Path CHROMIUM = Path.of(System.getProperty("pipeline.chromium", "/usr/bin/chromium"));

    private final ChromeDriver driver;

    DashboardPage(String url) {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the browser test needs Debian's chromium and chromium-driver"
                    + " (apt-get install chromium chromium-driver; .ci/run installs them): " + CHROMIUM + ", " + CHROMEDRIVER);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1600,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        long start = System.nanoTime();
        driver = new ChromeDriver(service, options);
        ItHttp.reportWait("Chromium and its driver to start", start);
        // generous: on two busy cores (the whole stack starting beside the browser) even a one-line
        // script has waited over 10 s for the page's main thread
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        start = System.nanoTime();
        driver.get(url);
        ItHttp.reportWait("the page to load", start);
    }

    /** The browser, for what a test reads beyond the dashboard (the backtest's report). */
    WebDriver driver() {
        return driver;
    }

    /** Waits up to {@code timeout} until {@code condition} gives something other than null or false. */
    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(200));
        // on a timeout, what the page's own status panel said (a part it could not reach says why)
        wait.withMessage(() -> what + "; the page's pipeline panel: " + statusPanel());
        wait.ignoring(ScriptTimeoutException.class); // a starved page: ask again, within the same bound
        long start = System.nanoTime();
        T value = wait.until(condition);
        ItHttp.reportWait(what + " (in the browser)", start);
        return value;
    }

    /**
     * The text of the first element matching {@code css}, or null while there is none. Read in one
     * script call: the page redraws its tables several times a second, so an element found by one
     * WebDriver command may be gone (stale) by the next.
     */
    private String text(String css) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;", css);
    }

    private String statusPanel() {
        try {
            return text("#status");
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    String lastPrice(String ticker) {
        return text("#tickers tr[data-ticker='" + ticker + "'] td.last");
    }

    void select(String ticker) {
        driver.findElement(By.cssSelector("#tickers tr[data-ticker='" + ticker + "']")).click();
    }

    /** The ticker list's strategy columns, as the page made them from the strategies' descriptions. */
    @SuppressWarnings("unchecked")
    List<String> tickerColumns() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#tickers thead th')].slice(3).map(th => th.textContent);");
    }

    /** Points per chart series (price, each strategy's indicators and orders), read from ECharts. */
    @SuppressWarnings("unchecked")
    Map<String, Long> seriesLengths() {
        return (Map<String, Long>) ((JavascriptExecutor) driver).executeScript("return window.dashboard.seriesLengths();");
    }

    record Row(String orderId, String status, String reason) {
    }

    List<Row> blotter() {
        // one script call: the rows are redrawn several times a second
        @SuppressWarnings("unchecked")
        List<List<String>> rows = (List<List<String>>) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#blotter tbody tr')].map(r =>"
                        + " [r.dataset.order, r.querySelector('td.status').textContent, r.querySelector('td.reason').textContent]);");
        return rows.stream().map(r -> new Row(r.get(0), r.get(1), r.get(2))).toList();
    }

    Set<String> orderIds() {
        Set<String> ids = new HashSet<>();
        blotter().forEach(row -> ids.add(row.orderId()));
        return ids;
    }

    /** The total P&amp;L cell of a strategy, or null while the panel has none. */
    String totalPnl(String strategy) {
        return text("#pnl tr[data-strategy='" + strategy + "'] td.total");
    }

    String tradingState() {
        return text("#kill-state");
    }

    String killMessage() {
        return text("#kill-message");
    }

    /**
     * Fills the kill switch's form and presses the button. The fields are set in one script call:
     * typed key by key (clear, sendKeys), each key waited for the page's main thread, busy redrawing
     * on two loaded cores, and one form took 5-36 s. The page reads the fields when the button is
     * clicked, and the click is a real one.
     */
    void killSwitch(String button, String user, String password, String reason) {
        long start = System.nanoTime();
        ((JavascriptExecutor) driver).executeScript("document.getElementById('kill-user').value = arguments[0];"
                + " document.getElementById('kill-password').value = arguments[1];"
                + " document.getElementById('kill-reason').value = arguments[2];",
                user == null ? "" : user, password == null ? "" : password, reason == null ? "" : reason);
        driver.findElement(By.id(button)).click();
        ItHttp.reportWait("the kill switch form filled and " + button + " pressed", start);
    }

    void screenshot(Path file) throws IOException {
        long start = System.nanoTime();
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        ItHttp.reportWait("a screenshot", start);
        Files.createDirectories(file.getParent());
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        long start = System.nanoTime();
        driver.quit();
        ItHttp.reportWait("Chromium to quit", start);
    }
}
