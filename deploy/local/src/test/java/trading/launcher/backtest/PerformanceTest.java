package trading.launcher.backtest;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The backtest's figures from fills worked out by hand. */
class PerformanceTest {

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    @Test
    void figuresFromThreeRoundTrips() {
        Performance p = new Performance();
        assertNull(p.winRate());
        assertNull(p.sharpe());
        // buy 100 at 10.00, sell at 11.00: +100 on 1000 (+10 %)
        p.onFill(1, d("100"), d("10.00"), null, null);
        p.onTick(true);
        p.onFill(2, d("100"), d("11.00"), d("100.00"), d("1000.00"));
        p.onTick(false);
        // buy at 11.00, sell at 9.35: -165 on 1100 (-15 %)
        p.onFill(3, d("100"), d("11.00"), null, null);
        p.onTick(true);
        p.onTick(true);
        p.onFill(4, d("100"), d("9.35"), d("-165.00"), d("1100.00"));
        p.onTick(false);
        // buy at 10.00, sell at 10.50: +50 on 1000 (+5 %)
        p.onFill(5, d("100"), d("10.00"), null, null);
        p.onFill(6, d("100"), d("10.50"), d("50.00"), d("1000.00"));

        assertEquals(3, p.trades());
        assertEquals(2, p.wins());
        assertEquals(d("0.6667"), p.winRate());
        assertEquals(0, d("-15.00").compareTo(p.realizedPnl()), "exact: " + p.realizedPnl());
        // equity 100, -65, -15: the high was 100, the low after it -65
        assertEquals(0, d("165.00").compareTo(p.maxDrawdown()), "from 100 down to -65");
        assertEquals(0, d("-165.00").compareTo(p.curve().get(1).drawdown()));
        // 1000 + 1100 + 1100 + 935 + 1000 + 1050
        assertEquals(0, d("6185.00").compareTo(p.turnover()), "traded notional: " + p.turnover());
        assertEquals(d("0.6000"), p.exposure(), "3 of 5 ticker-prices with a position");
        // returns 0.10, -0.15, 0.05: mean 0, so Sharpe 0
        assertEquals(0, BigDecimal.ZERO.compareTo(p.sharpe()), "Sharpe " + p.sharpe());
    }

    @Test
    void sharpeIsMeanOverSampleStandardDeviation() {
        Performance p = new Performance();
        p.onFill(1, d("1"), d("100"), d("10"), d("100"));  // +0.10
        p.onFill(2, d("1"), d("100"), d("30"), d("100"));  // +0.30
        // mean 0.2, sample sd sqrt(((0.1)^2 + (0.1)^2) / 1) = 0.141421..., ratio 1.4142
        assertEquals(d("1.4142"), p.sharpe());
        Performance flat = new Performance();
        flat.onFill(1, d("1"), d("100"), d("10"), d("100"));
        flat.onFill(2, d("1"), d("100"), d("10"), d("100"));
        assertNull(flat.sharpe(), "no spread: no ratio");
    }
}
