package trading.strategy.abc;

import org.junit.jupiter.api.Test;
import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.SignalRule.Evaluation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmaCrossoverTest {

    /** Runs the rule over prices the way the plumbing does (position follows the signals); one entry per price. */
    private static List<Signal> run(SmaCrossover rule, String... prices) {
        List<Signal> signals = new ArrayList<>();
        SmaCrossover.Indicators indicators = rule.initial();
        Position position = Position.FLAT;
        for (String price : prices) {
            Evaluation<SmaCrossover.Indicators> evaluation = rule.evaluate(indicators, new BigDecimal(price), position);
            indicators = evaluation.indicators();
            signals.add(evaluation.signal());
            if (evaluation.signal() != null) {
                position = evaluation.signal() == Signal.BUY ? Position.LONG : Position.FLAT;
            }
        }
        return signals;
    }

    private static List<Signal> expect(Signal... signals) {
        return java.util.Arrays.asList(signals);
    }

    @Test
    void buysWhenFastCrossesAboveAndSellsWhenItCrossesBelow() {
        // fast=2, slow=3: at the third price both are 10 (equal), then 11 lifts fast above slow,
        // 9 brings them level again, 8 takes fast below.
        assertEquals(expect(null, null, null, Signal.BUY, null, Signal.SELL),
                run(new SmaCrossover(2, 3), "10", "10", "10", "11", "9", "8"));
    }

    @Test
    void noSignalUntilBothAveragesWereDefinedOnThePreviousPriceToo() {
        // fast is above slow as soon as slow is defined (third price): that is no crossing.
        assertEquals(expect(null, null, null, null, null),
                run(new SmaCrossover(2, 3), "10", "11", "12", "13", "14"));
    }

    @Test
    void flatPricesNeverSignal() {
        List<Signal> signals = run(new SmaCrossover(5, 20), java.util.Collections.nCopies(100, "42.5").toArray(String[]::new));
        assertTrue(signals.stream().allMatch(s -> s == null));
    }

    @Test
    void aCrossingUpWhileLongIsNoSecondBuy() {
        SmaCrossover rule = new SmaCrossover(2, 3);
        SmaCrossover.Indicators indicators = rule.initial();
        for (String price : List.of("10", "10", "10")) {
            indicators = rule.evaluate(indicators, new BigDecimal(price), Position.LONG).indicators();
        }
        assertNull(rule.evaluate(indicators, new BigDecimal("11"), Position.LONG).signal());
    }

    @Test
    void averagesAreUndefinedUntilEnoughPrices() {
        SmaCrossover rule = new SmaCrossover(2, 3);
        SmaCrossover.Indicators indicators = rule.evaluate(rule.initial(), BigDecimal.TEN, Position.FLAT).indicators();
        assertNull(rule.fastSma(indicators));
        indicators = rule.evaluate(indicators, new BigDecimal("11"), Position.FLAT).indicators();
        assertEquals(0, rule.fastSma(indicators).compareTo(new BigDecimal("10.5")));
        assertNull(rule.slowSma(indicators));
        assertNull(rule.values(indicators).get("slowSma"));
    }

    @Test
    void rejectsWindowsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> new SmaCrossover(20, 5));
        assertThrows(IllegalArgumentException.class, () -> new SmaCrossover(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new SmaCrossover(5, 5));
    }

    /**
     * Over 100 000 prices the rolling averages equal a fresh computation of each window (within
     * 1e-9 relative; in fact exactly), and the signals equal those of a from-scratch reference.
     */
    @Test
    void staysExactOverALongRun() {
        int fast = 5;
        int slow = 20;
        SmaCrossover rule = new SmaCrossover(fast, slow);
        Random random = new Random(7);
        List<BigDecimal> prices = new ArrayList<>();
        double value = 100;
        for (int i = 0; i < 100_000; i++) {
            value *= Math.exp(0.01 * random.nextGaussian());
            prices.add(BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN));
        }
        SmaCrossover.Indicators indicators = rule.initial();
        Position position = Position.FLAT;
        Position referencePosition = Position.FLAT;
        Integer referencePrevious = null;
        int signals = 0;
        for (int i = 0; i < prices.size(); i++) {
            Evaluation<SmaCrossover.Indicators> evaluation = rule.evaluate(indicators, prices.get(i), position);
            indicators = evaluation.indicators();

            BigDecimal freshFast = i + 1 >= fast ? mean(prices.subList(i + 1 - fast, i + 1)) : null;
            BigDecimal freshSlow = i + 1 >= slow ? mean(prices.subList(i + 1 - slow, i + 1)) : null;
            assertClose(freshFast, rule.fastSma(indicators), i);
            assertClose(freshSlow, rule.slowSma(indicators), i);

            Integer cmp = freshSlow == null ? null : Integer.signum(freshFast.compareTo(freshSlow));
            Signal reference = null;
            if (cmp != null && referencePrevious != null) {
                if (referencePosition == Position.FLAT && cmp > 0 && referencePrevious <= 0) {
                    reference = Signal.BUY;
                } else if (referencePosition == Position.LONG && cmp < 0 && referencePrevious >= 0) {
                    reference = Signal.SELL;
                }
            }
            referencePrevious = cmp;
            assertEquals(reference, evaluation.signal(), "signal at price " + i);
            if (reference != null) {
                signals++;
                referencePosition = reference == Signal.BUY ? Position.LONG : Position.FLAT;
                position = referencePosition;
            }
        }
        assertTrue(signals > 1000, "a random walk crosses often; got " + signals);
    }

    private static BigDecimal mean(List<BigDecimal> window) {
        return window.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(window.size()), MathContext.DECIMAL128);
    }

    private static void assertClose(BigDecimal expected, BigDecimal actual, int index) {
        if (expected == null) {
            assertNull(actual, "undefined at " + index);
            return;
        }
        BigDecimal relative = expected.subtract(actual).abs().divide(expected.abs(), MathContext.DECIMAL64);
        assertTrue(relative.compareTo(new BigDecimal("1e-9")) <= 0, "at " + index + ": " + actual + " vs " + expected);
    }
}
