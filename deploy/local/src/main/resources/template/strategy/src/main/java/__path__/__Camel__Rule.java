package trading.strategy.__package__;

import trading.schema.state.CompactReader;
import trading.schema.state.CompactWriter;
import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.SignalRule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule of strategy __name__: pure code, no Kafka, no clock. It starts as a channel breakout
 * (long or flat): BUY when a price rises above the highest of the {@code window} prices before it
 * while flat, SELL when it falls below the lowest of them while long. Replace it with yours: keep
 * the indicators immutable, decide in exact decimals, and say how they are stored and shown.
 */
public final class __Camel__Rule implements SignalRule<__Camel__Rule.Indicators> {

    /** @param window the last {@code window} prices, oldest first */
    public record Indicators(List<BigDecimal> window) {
    }

    private final String name;
    private final int window;

    public __Camel__Rule(String name, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.name = name;
        this.window = window;
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
        return new Indicators(List.of());
    }

    @Override
    public Evaluation<Indicators> evaluate(Indicators before, BigDecimal price, Position position) {
        Signal signal = null;
        if (before.window().size() == window) {
            if (position == Position.FLAT && price.compareTo(Collections.max(before.window())) > 0) {
                signal = Signal.BUY;
            } else if (position == Position.LONG && price.compareTo(Collections.min(before.window())) < 0) {
                signal = Signal.SELL;
            }
        }
        List<BigDecimal> next = new ArrayList<>(before.window());
        next.add(price);
        if (next.size() > window) {
            next.remove(0);
        }
        return new Evaluation<>(new Indicators(List.copyOf(next)), signal);
    }

    @Override
    public void writeIndicators(Indicators indicators, CompactWriter out) {
        out.writeDecimals(indicators.window());
    }

    @Override
    public Indicators readIndicators(int format, CompactReader in) {
        return new Indicators(List.of(in.readDecimals()));
    }

    /** The channel the next price is compared with, once the window is full. */
    @Override
    public Map<String, BigDecimal> values(Indicators indicators) {
        boolean full = indicators.window().size() == window;
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("upper", full ? Collections.max(indicators.window()) : null);
        values.put("lower", full ? Collections.min(indicators.window()) : null);
        return values;
    }
}
