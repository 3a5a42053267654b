package trading.strategy;

import java.math.BigDecimal;
import java.util.List;

/**
 * How a chart draws one indicator of a rule: on the price axis beside the prices, or in an
 * oscillator panel of its own, with its range and the levels the rule acts on (bands). What
 * {@code GET /strategy} says, so that a dashboard draws any strategy with no code of its own.
 *
 * @param name  the indicator's name in {@link SignalRule#values} and in {@code /state}
 * @param label the legend's text
 * @param panel {@link #PRICE} or {@link #OSCILLATOR}
 * @param min   the oscillator's lower bound, or null
 * @param max   the oscillator's upper bound, or null
 * @param bands levels drawn as lines (e.g. an RSI's thresholds)
 */
public record IndicatorPlot(String name, String label, String panel, BigDecimal min, BigDecimal max,
                            List<BigDecimal> bands) {

    public static final String PRICE = "price";
    public static final String OSCILLATOR = "oscillator";

    public IndicatorPlot {
        if (!PRICE.equals(panel) && !OSCILLATOR.equals(panel)) {
            throw new IllegalArgumentException("panel must be " + PRICE + " or " + OSCILLATOR + ", was " + panel);
        }
        bands = List.copyOf(bands);
    }

    public static IndicatorPlot onPrice(String name, String label) {
        return new IndicatorPlot(name, label, PRICE, null, null, List.of());
    }

    public static IndicatorPlot oscillator(String name, String label, BigDecimal min, BigDecimal max, BigDecimal... bands) {
        return new IndicatorPlot(name, label, OSCILLATOR, min, max, List.of(bands));
    }
}
