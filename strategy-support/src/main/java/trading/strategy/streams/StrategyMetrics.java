package trading.strategy.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;

/**
 * A strategy's own meters, tagged with its name: prices applied and skipped, orders sent, and
 * the time from a price's publication to the order decided on it. A price costs one counter
 * increment; the timer (with its percentiles) is recorded only for prices that make an order.
 */
public final class StrategyMetrics {

    private final Counter applied;
    private final Counter skipped;
    private final Counter orders;
    private final Counter ordersAgain;
    private final Timer tickToDecision;

    public StrategyMetrics(String strategy, MeterRegistry registry) {
        applied = Counter.builder("strategy.prices.applied").tag("strategy", strategy)
                .description("prices applied to a ticker's state").register(registry);
        skipped = Counter.builder("strategy.prices.skipped").tag("strategy", strategy)
                .description("prices skipped: re-delivered, or older than the last of their source").register(registry);
        orders = Counter.builder("strategy.orders.sent").tag("strategy", strategy)
                .description("orders sent to the orders topic").register(registry);
        ordersAgain = Counter.builder("strategy.orders.sent.again").tag("strategy", strategy)
                .description("orders sent again for a price delivered again (at-least-once processing; same order id)")
                .register(registry);
        tickToDecision = Timer.builder("strategy.tick.to.decision").tag("strategy", strategy)
                .description("from the feed publishing a price to the strategy deciding an order on it")
                .publishPercentiles(0.5, 0.99, 0.999).register(registry);
    }

    void applied() {
        applied.increment();
    }

    void skipped() {
        skipped.increment();
    }

    void orderSentAgain() {
        ordersAgain.increment();
    }

    void orderSent(Instant published, Instant decided) {
        orders.increment();
        if (published != null && published.isAfter(Instant.EPOCH)) {
            tickToDecision.record(Duration.between(published, decided));
        }
    }
}
