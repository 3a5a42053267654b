package trading.strategy.abc;

import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.SignalRule;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactWriter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simple-moving-average crossover, long or flat. SMA(n) is defined once n prices were applied.
 * BUY when the fast SMA moves above the slow one (fast &gt; slow now, fast &le; slow on the previous
 * price, both defined both times) while flat; SELL when it moves below (fast &lt; slow now,
 * fast &ge; slow before) while long.
 *
 * <p>Exact: the window sums are BigDecimal sums of the prices (no rounding, so no drift however
 * long the run), and the comparison {@code fastSum/fast > slowSum/slow} is made as
 * {@code fastSum*slow > slowSum*fast}, without division. Only the SMA values shown to users are
 * divided, to 34 significant digits.
 */
public final class SmaCrossover implements SignalRule<SmaCrossover.Indicators> {

    /** The name of the catalog's first strategy on this rule (strategies/abc.properties): what tests use. */
    public static final String NAME = "abc";
    private static final MathContext DISPLAY = MathContext.DECIMAL128;
    /** previousCmp is written as its sign + 1 (0, 1, 2), or this when undefined. */
    private static final int NO_COMPARISON = 3;

    /**
     * @param window      the last {@code slow} prices, oldest first
     * @param fastSum     sum of the last {@code fast} prices of the window
     * @param slowSum     sum of the whole window
     * @param previousCmp sign of (fast SMA - slow SMA) on the previous price, null if either was undefined
     */
    public record Indicators(List<BigDecimal> window, BigDecimal fastSum, BigDecimal slowSum, Integer previousCmp) {
    }

    private final String name;
    private final int fast;
    private final int slow;

    public SmaCrossover(int fast, int slow) {
        this(NAME, fast, slow);
    }

    public SmaCrossover(String name, int fast, int slow) {
        if (fast < 1 || slow <= fast) {
            throw new IllegalArgumentException("need 1 <= fast < slow, got fast=" + fast + " slow=" + slow);
        }
        this.name = name;
        this.fast = fast;
        this.slow = slow;
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
        return new Indicators(List.of(), BigDecimal.ZERO, BigDecimal.ZERO, null);
    }

    @Override
    public Evaluation<Indicators> evaluate(Indicators before, BigDecimal price, Position position) {
        List<BigDecimal> window = new ArrayList<>(before.window().size() + 1);
        window.addAll(before.window());
        window.add(price);
        BigDecimal fastSum = before.fastSum().add(price);
        BigDecimal slowSum = before.slowSum().add(price);
        if (window.size() > fast) {
            fastSum = fastSum.subtract(window.get(window.size() - 1 - fast));
        }
        if (window.size() > slow) {
            slowSum = slowSum.subtract(window.remove(0));
        }
        Integer cmp = null;
        if (window.size() >= slow) {
            // fast SMA vs slow SMA, exactly: fastSum/fast ? slowSum/slow
            cmp = fastSum.multiply(BigDecimal.valueOf(slow)).compareTo(slowSum.multiply(BigDecimal.valueOf(fast)));
        }
        Signal signal = null;
        Integer previous = before.previousCmp();
        if (cmp != null && previous != null) {
            if (position == Position.FLAT && cmp > 0 && previous <= 0) {
                signal = Signal.BUY;
            } else if (position == Position.LONG && cmp < 0 && previous >= 0) {
                signal = Signal.SELL;
            }
        }
        return new Evaluation<>(new Indicators(List.copyOf(window), fastSum, slowSum, cmp), signal);
    }

    @Override
    public void writeIndicators(Indicators indicators, CompactWriter out) {
        out.writeDecimals(indicators.window()).writeDecimal(indicators.fastSum()).writeDecimal(indicators.slowSum())
                .writeByte(indicators.previousCmp() == null ? NO_COMPARISON : indicators.previousCmp() + 1);
    }

    @Override
    public Indicators readIndicators(int format, CompactReader in) {
        BigDecimal[] window = in.readDecimals();
        BigDecimal fastSum = in.readDecimal();
        BigDecimal slowSum = in.readDecimal();
        int cmp = in.readByte();
        return new Indicators(List.of(window), fastSum, slowSum, cmp == NO_COMPARISON ? null : cmp - 1);
    }

    /** The fast SMA, null until {@code fast} prices were applied. */
    public BigDecimal fastSma(Indicators indicators) {
        return indicators.window().size() >= fast ? indicators.fastSum().divide(BigDecimal.valueOf(fast), DISPLAY) : null;
    }

    /** The slow SMA, null until {@code slow} prices were applied. */
    public BigDecimal slowSma(Indicators indicators) {
        return indicators.window().size() >= slow ? indicators.slowSum().divide(BigDecimal.valueOf(slow), DISPLAY) : null;
    }

    @Override
    public Map<String, BigDecimal> values(Indicators indicators) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("fastSma", fastSma(indicators));
        values.put("slowSma", slowSma(indicators));
        return values;
    }
}
