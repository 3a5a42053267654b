package trading.feed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * A simulated market: one geometric Brownian motion per ticker,
 * {@code S' = S * exp(-sigma^2/2 + sigma * Z)} per step, Z standard normal. Each ticker draws from
 * its own generator seeded by (seed, ticker), and StrictMath keeps the arithmetic identical on
 * every JVM, so the same seed gives the same prices whatever the rate or the interleaving.
 * Prices are published rounded to {@link #PRICE_SCALE} decimals.
 */
public final class SimulatedMarket {

    public static final int PRICE_SCALE = 4;

    /** The next price of one ticker, with its per-ticker sequence number (1, 2, 3 ...). */
    public record Quote(String ticker, long sequence, BigDecimal price, BigDecimal size) {
    }

    private final List<Walk> walks = new ArrayList<>();
    private final double volatility;
    private int next;

    public SimulatedMarket(List<String> tickers, long seed, double volatility) {
        if (tickers.isEmpty()) {
            throw new IllegalArgumentException("the market needs at least one ticker");
        }
        if (!(volatility > 0 && volatility < 1)) {
            throw new IllegalArgumentException("volatility per step must be in (0, 1), was " + volatility);
        }
        this.volatility = volatility;
        for (String ticker : tickers) {
            Random random = new Random(seed ^ crc(ticker));
            double start = 20 + random.nextInt(480) + random.nextInt(100) / 100.0;
            walks.add(new Walk(ticker, random, start));
        }
    }

    /** The next quote, tickers in turn. */
    public Quote next() {
        Walk walk = walks.get(next);
        next = (next + 1) % walks.size();
        return walk.step(volatility);
    }

    public int tickers() {
        return walks.size();
    }

    private static long crc(String ticker) {
        CRC32 crc = new CRC32();
        crc.update(ticker.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() * 0x9E3779B97F4A7C15L;
    }

    private static final class Walk {
        private final String ticker;
        private final Random random;
        private double value;
        private long sequence;

        Walk(String ticker, Random random, double start) {
            this.ticker = ticker;
            this.random = random;
            this.value = start;
        }

        Quote step(double sigma) {
            if (sequence > 0) {
                value = value * StrictMath.exp(-sigma * sigma / 2 + sigma * random.nextGaussian());
            }
            sequence++;
            BigDecimal price = BigDecimal.valueOf(value).setScale(PRICE_SCALE, RoundingMode.HALF_EVEN);
            if (price.signum() <= 0) {
                price = BigDecimal.ONE.movePointLeft(PRICE_SCALE);
            }
            BigDecimal size = BigDecimal.valueOf(1 + random.nextInt(100) * 10L);
            return new Quote(ticker, sequence, price, size);
        }
    }
}
