package trading.execution.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import trading.schema.ExecutionReport;
import trading.schema.ExecutionStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * What order-execution shows Prometheus ({@code /q/metrics}): execution reports by strategy and
 * status ({@code execution_reports_total}; fills/s is the rate of FILLED), the time from a price's
 * publication to its order's fill ({@code execution_tick_to_fill_seconds}), and each strategy's P&amp;L
 * over the books this instance holds ({@code execution_pnl}; sum over instances for the total).
 * Counted per report, not per price; meters are looked up in a map, built once per strategy.
 */
public final class ExecutionMetrics {

    private final MeterRegistry registry;
    private final ToDoubleFunction<String> pnlOf;
    private final Map<String, Counter> reports = new ConcurrentHashMap<>();
    private final Map<String, Timer> tickToFill = new ConcurrentHashMap<>();

    /** @param pnlOf a strategy's realized plus unrealized P&amp;L in this instance's books, read when scraped */
    public ExecutionMetrics(MeterRegistry registry, ToDoubleFunction<String> pnlOf) {
        this.registry = registry;
        this.pnlOf = pnlOf;
    }

    void report(ExecutionReport report) {
        String strategy = report.getStrategy();
        ExecutionStatus status = report.getStatus();
        reports.computeIfAbsent(strategy + '|' + status, key -> {
            if (reports.keySet().stream().noneMatch(k -> k.startsWith(strategy + '|'))) {
                Gauge.builder("execution.pnl", strategy, pnlOf).tag("strategy", strategy)
                        .description("realized plus unrealized P&L of the strategy's books on this instance")
                        .register(registry);
            }
            return Counter.builder("execution.reports").tag("strategy", strategy).tag("status", status.name())
                    .description("execution reports published, by status").register(registry);
        }).increment();
        Instant published = report.getPricePublishTime();
        if (status == ExecutionStatus.FILLED && published != null && published.isAfter(Instant.EPOCH)) {
            tickToFill.computeIfAbsent(strategy, s -> Timer.builder("execution.tick.to.fill").tag("strategy", s)
                            .description("from the feed publishing a price to the fill of the order it caused")
                            .publishPercentileHistogram().register(registry))
                    .record(Duration.between(published, report.getReportTime()));
        }
    }
}
