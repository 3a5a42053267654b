package trading.launcher.backtest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * How a strategy (or all of them together) did in a backtest, from its fills in the order of the
 * prices: trades (closing fills), win rate, realized P&amp;L, the realized equity curve and its
 * maximum drawdown, the Sharpe ratio of per-trade returns, exposure (the share of ticker-prices
 * at which a position was held) and turnover (traded notional). Money is exact (decimals, no
 * rounding); the ratios are rounded only when shown.
 */
public final class Performance {

    private static final MathContext RATIO = MathContext.DECIMAL64;

    private long trades;
    private long wins;
    private BigDecimal realized = BigDecimal.ZERO;
    private BigDecimal peak = BigDecimal.ZERO;
    private BigDecimal maxDrawdown = BigDecimal.ZERO;
    private BigDecimal turnover = BigDecimal.ZERO;
    private long ticks;
    private long exposedTicks;
    private final List<BigDecimal> returns = new ArrayList<>();
    /** {@code [event time millis, realized equity, drawdown (equity - peak, never positive)]} at each trade. */
    private final List<Point> curve = new ArrayList<>();

    /** A point of the equity and drawdown curves. */
    public record Point(long timeMillis, BigDecimal equity, BigDecimal drawdown) {
    }

    /** One price of one ticker was applied; {@code exposed} when a position in it was held after it. */
    void onTick(boolean exposed) {
        ticks++;
        if (exposed) {
            exposedTicks++;
        }
    }

    /**
     * A fill of {@code quantity} at {@code price}; {@code closedPnl} is what it realized when it
     * closed (part of) a position, on an entry notional of {@code entryNotional}; null when it opened one.
     */
    void onFill(long timeMillis, BigDecimal quantity, BigDecimal price, BigDecimal closedPnl, BigDecimal entryNotional) {
        turnover = turnover.add(quantity.multiply(price).abs());
        if (closedPnl == null) {
            return;
        }
        trades++;
        if (closedPnl.signum() > 0) {
            wins++;
        }
        realized = realized.add(closedPnl);
        if (entryNotional.signum() != 0) {
            returns.add(closedPnl.divide(entryNotional.abs(), RATIO));
        }
        peak = peak.max(realized);
        BigDecimal drawdown = realized.subtract(peak);
        maxDrawdown = maxDrawdown.max(drawdown.negate());
        curve.add(new Point(timeMillis, realized, drawdown));
    }

    public long trades() {
        return trades;
    }

    public long wins() {
        return wins;
    }

    /** Share of trades that made money, or null before the first trade. */
    public BigDecimal winRate() {
        return trades == 0 ? null : BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(trades), 4, RoundingMode.HALF_EVEN);
    }

    public BigDecimal realizedPnl() {
        return realized;
    }

    /** The largest fall of realized equity from a previous high, as a positive amount. */
    public BigDecimal maxDrawdown() {
        return maxDrawdown;
    }

    /** Traded notional: the sum of quantity times price over every fill. */
    public BigDecimal turnover() {
        return turnover;
    }

    /** Share of ticker-prices at which a position was held, or null without prices. */
    public BigDecimal exposure() {
        return ticks == 0 ? null : BigDecimal.valueOf(exposedTicks).divide(BigDecimal.valueOf(ticks), 4, RoundingMode.HALF_EVEN);
    }

    /**
     * Mean over sample standard deviation of the per-trade returns (P&amp;L over entry notional),
     * not annualised; null with fewer than two trades or no spread.
     */
    public BigDecimal sharpe() {
        int n = returns.size();
        if (n < 2) {
            return null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal r : returns) {
            sum = sum.add(r);
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), RATIO);
        BigDecimal squares = BigDecimal.ZERO;
        for (BigDecimal r : returns) {
            squares = squares.add(r.subtract(mean).pow(2));
        }
        BigDecimal variance = squares.divide(BigDecimal.valueOf(n - 1L), RATIO);
        if (variance.signum() == 0) {
            return null;
        }
        return mean.divide(variance.sqrt(RATIO), RATIO).setScale(4, RoundingMode.HALF_EVEN);
    }

    public List<Point> curve() {
        return List.copyOf(curve);
    }
}
