package trading.launcher.backtest;

import trading.execution.PositionBook;
import trading.feed.replay.PriceFile;
import trading.schema.Decimals;
import trading.strategy.SignalEvent;
import trading.strategy.StrategyDefinition;
import trading.strategy.Tick;
import trading.strategy.TickerState;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs strategies over a price file with the live services' own code ({@link TickerState} with
 * each strategy's rule, as the catalog configures it), filling every order at its reference price
 * into a {@link PositionBook}, as the paper broker does: the same decisions, from a price file
 * offline or from a running stack's {@code prices} topic ({@link TopicPrices}).
 */
public final class Backtest {

    /** One order, as {@code orders.csv} lists it. */
    public record OrderLine(String orderId, String strategy, String ticker, String side, BigDecimal quantity,
                     BigDecimal referencePrice, long priceSequence) {
    }

    /** One strategy's result in one ticker. */
    record Summary(String strategy, String ticker, long orders, BigDecimal position, BigDecimal realizedPnl,
                   long closedTrades, long wins) {
        /** Share of closing fills that realised a profit, or null when nothing was closed. */
        BigDecimal winRate() {
            return closedTrades == 0 ? null
                    : BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(closedTrades), 4, RoundingMode.HALF_EVEN);
        }
    }

    /**
     * @param performance per strategy, in the order they were given
     * @param overall     every strategy's fills together, in the order of the prices
     */
    public record Result(List<OrderLine> orders, List<Summary> summaries, Map<String, Performance> performance,
                         Performance overall, PriceFile.Counts counts, double seconds) {
        double pricesPerSecond() {
            return seconds > 0 ? counts.rows() / seconds : 0;
        }
    }

    private Backtest() {
    }

    /** Where a backtest's prices come from: a file, or a running stack's topic ({@link TopicPrices}). */
    public interface Source {
        /** How many prices (or lines) there are to read, for progress; 0 when unknown. */
        long total();

        /** Hands every price to {@code ticks} in the order of each ticker; says why each one skipped. */
        PriceFile.Counts read(java.util.function.Consumer<Tick> ticks, java.util.function.Consumer<String> skipped);
    }

    /** A price file's rows, its source named after the file as the replay feed names it. */
    public static Source of(PriceFile file) {
        return new Source() {
            @Override
            public long total() {
                return file.countLines();
            }

            @Override
            public PriceFile.Counts read(java.util.function.Consumer<Tick> ticks, java.util.function.Consumer<String> skipped) {
                String source = file.source();
                return file.read(row -> ticks.accept(new Tick(row.ticker(), row.price(), source, row.sequence(),
                                row.timestamp().toEpochMilli())),
                        bad -> skipped.accept("line " + bad.lineNumber() + " skipped: " + bad.reason()));
            }
        };
    }

    /**
     * One strategy as a backtest runs it: its name (in its orders), its quantity and how it decides.
     * A {@link Decider} is made per run, and closed after it.
     */
    public record Strategy(String name, BigDecimal quantity, java.util.function.Supplier<Decider> decider) {
        /** A JVM strategy: its rule, as its service applies it. */
        public static Strategy of(StrategyDefinition<?> definition) {
            return new Strategy(definition.name(), definition.quantity(), () -> Decider.of(definition.rule()));
        }

        /**
         * A catalog entry with the values its live service runs: a JVM strategy's rule, or an
         * external strategy's own code ({@code run decide}).
         */
        public static Strategy of(java.nio.file.Path home, trading.launcher.catalog.StrategyCatalog.Entry entry) {
            if (entry.external()) {
                return new Strategy(entry.name(), new BigDecimal(entry.quantity()), () -> new ExternalDecider(entry.name(),
                        trading.launcher.catalog.ExternalStrategy.process(home, entry, "decide")));
            }
            return of(new trading.launcher.catalog.StrategyRules(home).definition(entry));
        }

        /** Every strategy of the catalog, as {@link #of(java.nio.file.Path, trading.launcher.catalog.StrategyCatalog.Entry)}. */
        public static List<Strategy> catalog(java.nio.file.Path home) {
            return trading.launcher.catalog.StrategyCatalog.of(home).entries().stream().map(e -> of(home, e)).toList();
        }

        public Strategy withQuantity(BigDecimal other) {
            return new Strategy(name, other, decider);
        }
    }

    public static Result run(PriceFile file, List<Strategy> strategies, PrintStream progress) {
        return run(of(file), strategies, progress);
    }

    public static Result run(Source prices, List<Strategy> strategies, PrintStream progress) {
        List<OrderLine> orders = new ArrayList<>();
        Performance overall = new Performance();
        List<Runner> runners = runners(strategies, orders, overall);
        try {
            return run(prices, runners, orders, overall, progress);
        } finally {
            runners.forEach(Runner::close);
        }
    }

    private static Result run(Source prices, List<Runner> runners, List<OrderLine> orders, Performance overall,
                              PrintStream progress) {
        long total = prices.total();
        long start = System.nanoTime();
        long[] done = {0};
        long[] lastReport = {start};
        PriceFile.Counts counts = prices.read(tick -> {
            for (Runner runner : runners) {
                runner.apply(tick);
            }
            done[0]++;
            long now = System.nanoTime();
            if (progress != null && now - lastReport[0] > 1_000_000_000L) {
                lastReport[0] = now;
                double rate = done[0] / ((now - start) / 1e9);
                progress.printf("backtest: %,d of %,d prices (%,.0f/s), %.0f s left%n", done[0], total, rate,
                        Math.max(0, (total - done[0]) / rate));
            }
        }, reason -> {
            if (progress != null) {
                progress.println(reason);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Summary> summaries = new ArrayList<>();
        Map<String, Performance> performance = new java.util.LinkedHashMap<>();
        runners.forEach(runner -> {
            summaries.addAll(runner.summaries());
            performance.put(runner.name, runner.performance);
        });
        return new Result(orders, summaries, performance, overall, counts, seconds);
    }

    /** The strategies, adding their orders to {@code orders} as ticks are applied; close each when done. */
    public static List<Runner> runners(List<Strategy> strategies, List<OrderLine> orders) {
        return runners(strategies, orders, new Performance());
    }

    private static List<Runner> runners(List<Strategy> strategies, List<OrderLine> orders, Performance overall) {
        List<Runner> runners = new ArrayList<>();
        for (Strategy strategy : strategies) {
            runners.add(new Runner(strategy.name(), strategy.quantity(), strategy.decider().get(), orders, overall));
        }
        return runners;
    }

    /** One strategy over every ticker of the file. */
    public static final class Runner implements AutoCloseable {
        private final String name;
        private final Decider decider;
        private final BigDecimal quantity;
        private final List<OrderLine> orders;
        private final Map<String, PositionBook> books = new TreeMap<>();
        private final Map<String, long[]> counts = new HashMap<>(); // orders, closed, wins
        private final Performance performance = new Performance();
        private final Performance overall;

        Runner(String name, BigDecimal quantity, Decider decider, List<OrderLine> orders, Performance overall) {
            this.name = name;
            this.decider = decider;
            this.quantity = quantity;
            this.orders = orders;
            this.overall = overall;
        }

        public void apply(Tick tick) {
            SignalEvent signal = decider.apply(tick);
            long[] count = counts.computeIfAbsent(tick.ticker(), t -> new long[3]);
            books.putIfAbsent(tick.ticker(), PositionBook.empty(name, tick.ticker()));
            if (signal == null) {
                exposure(tick.ticker());
                return;
            }
            boolean buy = signal.signal() == trading.strategy.Signal.BUY;
            orders.add(new OrderLine(signal.orderId(), name, tick.ticker(), signal.signal().name(), quantity,
                    signal.price(), signal.sequence()));
            count[0]++;
            PositionBook before = books.get(tick.ticker());
            PositionBook after = before.fill(buy, quantity, signal.price());
            BigDecimal closedPnl = null;
            BigDecimal entryNotional = null;
            if (before.quantity().signum() != 0 && before.quantity().signum() != (buy ? 1 : -1)) {
                count[1]++;
                closedPnl = after.realizedPnl().subtract(before.realizedPnl());
                entryNotional = before.averagePrice().multiply(quantity.min(before.quantity().abs()));
                if (closedPnl.signum() > 0) {
                    count[2]++;
                }
            }
            books.put(tick.ticker(), after);
            performance.onFill(tick.eventTimeMillis(), quantity, signal.price(), closedPnl, entryNotional);
            overall.onFill(tick.eventTimeMillis(), quantity, signal.price(), closedPnl, entryNotional);
            exposure(tick.ticker());
        }

        private void exposure(String ticker) {
            boolean exposed = books.get(ticker).quantity().signum() != 0;
            performance.onTick(exposed);
            overall.onTick(exposed);
        }

        @Override
        public void close() {
            decider.close();
        }

        List<Summary> summaries() {
            List<Summary> list = new ArrayList<>();
            books.forEach((ticker, book) -> {
                long[] count = counts.get(ticker);
                list.add(new Summary(name, ticker, count[0], book.quantity(), book.realizedPnl(), count[1], count[2]));
            });
            return list;
        }
    }

    /** Prints the per-strategy, per-ticker table and the totals. */
    public static void print(Result result, PrintStream out) {
        out.printf("%-16s %-10s %8s %12s %16s %9s%n", "strategy", "ticker", "orders", "position", "realized P&L", "win rate");
        Map<String, BigDecimal> pnl = new TreeMap<>();
        Map<String, Long> orders = new TreeMap<>();
        for (Summary s : result.summaries()) {
            out.printf("%-16s %-10s %8d %12s %16s %9s%n", s.strategy(), s.ticker(), s.orders(),
                    plain(s.position()), plain(s.realizedPnl().setScale(2, RoundingMode.HALF_EVEN)),
                    s.winRate() == null ? "-" : s.winRate().movePointRight(2).setScale(1, RoundingMode.HALF_EVEN) + "%");
            pnl.merge(s.strategy(), s.realizedPnl(), BigDecimal::add);
            orders.merge(s.strategy(), s.orders(), Long::sum);
        }
        pnl.forEach((strategy, total) -> out.printf("%-16s %-10s %8d %12s %16s%n", strategy, "TOTAL", orders.get(strategy), "",
                plain(total.setScale(2, RoundingMode.HALF_EVEN))));
        out.println();
        out.printf("%-24s %7s %9s %14s %13s %8s %9s %16s%n", "strategy", "trades", "win rate", "realized P&L",
                "max drawdown", "Sharpe", "exposure", "turnover");
        result.performance().forEach((strategy, p) -> printPerformance(strategy, p, out));
        printPerformance("all", result.overall(), out);
        out.println("(Sharpe: mean over standard deviation of per-trade returns, not annualised; exposure: share of"
                + " ticker-prices with a position; turnover: traded notional)");
        out.printf("%,d prices (%,d lines skipped) in %.2f s: %,.0f prices/s%n", result.counts().rows(),
                result.counts().skipped(), result.seconds(), result.pricesPerSecond());
    }

    private static void printPerformance(String strategy, Performance p, PrintStream out) {
        out.printf("%-24s %7d %9s %14s %13s %8s %9s %16s%n", strategy, p.trades(), percent(p.winRate()),
                plain(p.realizedPnl().setScale(2, RoundingMode.HALF_EVEN)), plain(p.maxDrawdown().setScale(2, RoundingMode.HALF_EVEN)),
                p.sharpe() == null ? "-" : p.sharpe().toPlainString(), percent(p.exposure()),
                plain(p.turnover().setScale(2, RoundingMode.HALF_EVEN)));
    }

    static String percent(BigDecimal share) {
        return share == null ? "-" : share.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN) + "%";
    }

    /** Writes {@code orders.csv}, {@code performance.csv} and {@code summary.csv}: the same file gives the same bytes. */
    public static void write(Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer out = Files.newBufferedWriter(dir.resolve("orders.csv"), StandardCharsets.UTF_8)) {
            out.write("orderId,strategy,ticker,side,quantity,referencePrice,priceSequence\n");
            for (OrderLine o : result.orders()) {
                out.write(String.join(",", o.orderId(), o.strategy(), o.ticker(), o.side(), plain(o.quantity()),
                        plain(o.referencePrice()), Long.toString(o.priceSequence())) + "\n");
            }
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve("performance.csv"), StandardCharsets.UTF_8)) {
            out.write("strategy,trades,wins,winRate,realizedPnl,maxDrawdown,sharpe,exposure,turnover\n");
            Map<String, Performance> all = new java.util.LinkedHashMap<>(result.performance());
            all.put("all", result.overall());
            for (Map.Entry<String, Performance> entry : all.entrySet()) {
                Performance p = entry.getValue();
                out.write(String.join(",", entry.getKey(), Long.toString(p.trades()), Long.toString(p.wins()),
                        p.winRate() == null ? "" : p.winRate().toPlainString(), plain(p.realizedPnl()), plain(p.maxDrawdown()),
                        p.sharpe() == null ? "" : p.sharpe().toPlainString(), p.exposure() == null ? "" : p.exposure().toPlainString(),
                        plain(p.turnover())) + "\n");
            }
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve("summary.csv"), StandardCharsets.UTF_8)) {
            out.write("strategy,ticker,orders,finalPosition,realizedPnl,winRate\n");
            for (Summary s : result.summaries()) {
                out.write(String.join(",", s.strategy(), s.ticker(), Long.toString(s.orders()), plain(s.position()),
                        plain(s.realizedPnl()), s.winRate() == null ? "" : s.winRate().toPlainString()) + "\n");
            }
        }
    }

    private static String plain(BigDecimal amount) {
        return Decimals.forDisplay(amount).toPlainString();
    }
}
