package trading.strategy.xyz;

import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.SignalRule;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactWriter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wilder's RSI(n), long or flat. The first average gain and loss are the simple means of the first
 * n price changes (so RSI is defined from the (n+1)-th price on); after that
 * {@code avg = (previous avg * (n - 1) + current) / n}. {@code RSI = 100 - 100 / (1 + avgGain / avgLoss)},
 * and 100 when avgLoss is 0. BUY when RSI moves below the lower threshold (below now, at or above
 * before) while flat; SELL when it moves above the upper threshold (above now, at or below before)
 * while long.
 *
 * <p>Arithmetic is BigDecimal to 34 significant digits (IEEE 754 decimal128), far below the
 * 1e-9 relative error the pipeline promises, however long the run.
 */
public final class WilderRsi implements SignalRule<WilderRsi.Indicators> {

    /** The name of the catalog's first strategy on this rule (strategies/xyz.properties): what tests use. */
    public static final String NAME = "xyz";
    static final MathContext MATH = MathContext.DECIMAL128;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * @param changes   price changes seen so far (prices applied - 1, or 0)
     * @param lastPrice the previous price, null before the first
     * @param avgGain   while seeding (changes &lt; n): the sum of gains; after: Wilder's average gain
     * @param avgLoss   likewise for losses
     * @param rsi       RSI on the last price, null until defined
     */
    public record Indicators(long changes, BigDecimal lastPrice, BigDecimal avgGain, BigDecimal avgLoss, BigDecimal rsi) {
    }

    private final String name;
    private final int period;
    private final BigDecimal lower;
    private final BigDecimal upper;
    private final BigDecimal periodDecimal;
    private final BigDecimal periodMinusOne;

    public WilderRsi(int period, BigDecimal lower, BigDecimal upper) {
        this(NAME, period, lower, upper);
    }

    public WilderRsi(String name, int period, BigDecimal lower, BigDecimal upper) {
        if (period < 1) {
            throw new IllegalArgumentException("RSI period must be at least 1, was " + period);
        }
        if (lower.signum() < 0 || upper.compareTo(HUNDRED) > 0 || lower.compareTo(upper) >= 0) {
            throw new IllegalArgumentException("need 0 <= lower < upper <= 100, got lower=" + lower + " upper=" + upper);
        }
        this.name = name;
        this.period = period;
        this.lower = lower;
        this.upper = upper;
        this.periodDecimal = BigDecimal.valueOf(period);
        this.periodMinusOne = BigDecimal.valueOf(period - 1L);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<Indicators> indicatorType() {
        return Indicators.class;
    }

    @Override
    public Indicators initial() {
        return new Indicators(0, null, BigDecimal.ZERO, BigDecimal.ZERO, null);
    }

    @Override
    public Evaluation<Indicators> evaluate(Indicators before, BigDecimal price, Position position) {
        if (before.lastPrice() == null) {
            return new Evaluation<>(new Indicators(0, price, BigDecimal.ZERO, BigDecimal.ZERO, null), null);
        }
        BigDecimal change = price.subtract(before.lastPrice());
        BigDecimal gain = change.signum() > 0 ? change : BigDecimal.ZERO;
        BigDecimal loss = change.signum() < 0 ? change.negate() : BigDecimal.ZERO;
        long changes = before.changes() + 1;

        BigDecimal avgGain;
        BigDecimal avgLoss;
        BigDecimal rsi = null;
        if (changes < period) {
            // still seeding: keep exact sums
            avgGain = before.avgGain().add(gain);
            avgLoss = before.avgLoss().add(loss);
        } else {
            if (changes == period) {
                avgGain = before.avgGain().add(gain).divide(periodDecimal, MATH);
                avgLoss = before.avgLoss().add(loss).divide(periodDecimal, MATH);
            } else {
                avgGain = before.avgGain().multiply(periodMinusOne).add(gain).divide(periodDecimal, MATH);
                avgLoss = before.avgLoss().multiply(periodMinusOne).add(loss).divide(periodDecimal, MATH);
            }
            rsi = rsi(avgGain, avgLoss);
        }

        Signal signal = null;
        BigDecimal previous = before.rsi();
        if (rsi != null && previous != null) {
            if (position == Position.FLAT && rsi.compareTo(lower) < 0 && previous.compareTo(lower) >= 0) {
                signal = Signal.BUY;
            } else if (position == Position.LONG && rsi.compareTo(upper) > 0 && previous.compareTo(upper) <= 0) {
                signal = Signal.SELL;
            }
        }
        return new Evaluation<>(new Indicators(changes, price, avgGain, avgLoss, rsi), signal);
    }

    @Override
    public void writeIndicators(Indicators indicators, CompactWriter out) {
        out.writeLong(indicators.changes()).writeDecimal(indicators.lastPrice()).writeDecimal(indicators.avgGain())
                .writeDecimal(indicators.avgLoss()).writeDecimal(indicators.rsi());
    }

    @Override
    public Indicators readIndicators(int format, CompactReader in) {
        return new Indicators(in.readLong(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal());
    }

    static BigDecimal rsi(BigDecimal avgGain, BigDecimal avgLoss) {
        if (avgLoss.signum() == 0) {
            return HUNDRED;
        }
        BigDecimal relativeStrength = avgGain.divide(avgLoss, MATH);
        return HUNDRED.subtract(HUNDRED.divide(BigDecimal.ONE.add(relativeStrength), MATH));
    }

    @Override
    public Map<String, BigDecimal> values(Indicators indicators) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("rsi", indicators.rsi());
        return values;
    }
}
