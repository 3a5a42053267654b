package trading.strategy.xyz;

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

class WilderRsiTest {

    private static final BigDecimal THIRTY = new BigDecimal("30");
    private static final BigDecimal SEVENTY = new BigDecimal("70");

    /** RSI after each price (null while undefined) and the signals, position following the signals. */
    private record Run(List<BigDecimal> rsi, List<Signal> signals) {
    }

    private static Run run(WilderRsi rule, String... prices) {
        List<BigDecimal> rsi = new ArrayList<>();
        List<Signal> signals = new ArrayList<>();
        WilderRsi.Indicators indicators = rule.initial();
        Position position = Position.FLAT;
        for (String price : prices) {
            Evaluation<WilderRsi.Indicators> evaluation = rule.evaluate(indicators, new BigDecimal(price), position);
            indicators = evaluation.indicators();
            rsi.add(indicators.rsi());
            signals.add(evaluation.signal());
            if (evaluation.signal() != null) {
                position = evaluation.signal() == Signal.BUY ? Position.LONG : Position.FLAT;
            }
        }
        return new Run(rsi, signals);
    }

    private static void assertNear(String expected, BigDecimal actual) {
        assertTrue(new BigDecimal(expected).subtract(actual).abs().compareTo(new BigDecimal("1e-25")) < 0,
                actual + " is not " + expected);
    }

    @Test
    void seedsWithSimpleMeansThenSmoothsTheWilderWay() {
        // n = 3. Changes +1, +1, -1: avgGain 2/3, avgLoss 1/3, RS 2, RSI 66.67 on the 4th price.
        // Then +2: avgGain (2/3*2 + 2)/3 = 10/9, avgLoss (1/3*2)/3 = 2/9, RS 5, RSI 83.33.
        Run run = run(new WilderRsi(3, THIRTY, SEVENTY), "10", "11", "12", "11", "13");
        assertNull(run.rsi().get(0));
        assertNull(run.rsi().get(1));
        assertNull(run.rsi().get(2));
        assertNear("66.6666666666666666666666666666667", run.rsi().get(3));
        assertNear("83.3333333333333333333333333333333", run.rsi().get(4));
    }

    @Test
    void isHundredWhenThereWereNoLosses() {
        Run run = run(new WilderRsi(3, THIRTY, SEVENTY), "1", "2", "3", "4", "5");
        assertEquals(0, run.rsi().get(3).compareTo(new BigDecimal("100")));
        assertEquals(0, run.rsi().get(4).compareTo(new BigDecimal("100")));
    }

    @Test
    void flatPricesGiveHundredAndNoSignal() {
        Run run = run(new WilderRsi(14, THIRTY, SEVENTY), java.util.Collections.nCopies(60, "10.25").toArray(String[]::new));
        assertEquals(0, run.rsi().get(59).compareTo(new BigDecimal("100")));
        assertTrue(run.signals().stream().allMatch(s -> s == null));
    }

    @Test
    void isZeroWhenThereWereNoGains() {
        Run run = run(new WilderRsi(2, THIRTY, SEVENTY), "5", "4", "3");
        assertEquals(0, run.rsi().get(2).signum());
    }

    @Test
    void buysWhenRsiFallsBelowTheLowerThresholdAndSellsWhenItRisesAboveTheUpper() {
        // n = 2: 10, 11, 12 -> RSI 100; 8 -> avgGain 0.5, avgLoss 2, RSI 20 (BUY);
        // 20 -> avgGain 6.25, avgLoss 1, RSI 86.2 (SELL).
        Run run = run(new WilderRsi(2, THIRTY, SEVENTY), "10", "11", "12", "8", "20");
        assertEquals(java.util.Arrays.asList(null, null, null, Signal.BUY, Signal.SELL), run.signals());
        assertNear("20", run.rsi().get(3));
    }

    @Test
    void noBuyOnTheFirstDefinedRsiEvenIfItIsLow() {
        // RSI is first defined at 0 (< 30), but there was no previous RSI to cross from.
        Run run = run(new WilderRsi(2, THIRTY, SEVENTY), "5", "4", "3", "2");
        assertTrue(run.signals().stream().allMatch(s -> s == null));
    }

    @Test
    void rejectsThresholdsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> new WilderRsi(0, THIRTY, SEVENTY));
        assertThrows(IllegalArgumentException.class, () -> new WilderRsi(14, SEVENTY, THIRTY));
        assertThrows(IllegalArgumentException.class, () -> new WilderRsi(14, THIRTY, new BigDecimal("101")));
    }

    /**
     * Over 100 000 prices RSI stays within 1e-9 (relative) of the definition evaluated at 60
     * significant digits, so rounding does not accumulate.
     */
    @Test
    void followsTheDefinitionOverALongRun() {
        int n = 14;
        WilderRsi rule = new WilderRsi(n, THIRTY, SEVENTY);
        MathContext wide = new MathContext(60);
        Random random = new Random(11);
        double value = 50;
        WilderRsi.Indicators indicators = rule.initial();
        BigDecimal previous = null;
        BigDecimal gainSum = BigDecimal.ZERO;
        BigDecimal lossSum = BigDecimal.ZERO;
        BigDecimal avgGain = null;
        BigDecimal avgLoss = null;
        BigDecimal bigN = BigDecimal.valueOf(n);
        for (int i = 0; i < 100_000; i++) {
            value *= Math.exp(0.01 * random.nextGaussian());
            BigDecimal price = BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN);
            indicators = rule.evaluate(indicators, price, Position.FLAT).indicators();
            if (previous != null) {
                BigDecimal change = price.subtract(previous);
                BigDecimal gain = change.max(BigDecimal.ZERO);
                BigDecimal loss = change.min(BigDecimal.ZERO).negate();
                if (i < n) {
                    gainSum = gainSum.add(gain);
                    lossSum = lossSum.add(loss);
                }
                if (i == n) {
                    avgGain = gainSum.add(gain).divide(bigN, wide);
                    avgLoss = lossSum.add(loss).divide(bigN, wide);
                } else if (i > n) {
                    avgGain = avgGain.multiply(bigN.subtract(BigDecimal.ONE)).add(gain).divide(bigN, wide);
                    avgLoss = avgLoss.multiply(bigN.subtract(BigDecimal.ONE)).add(loss).divide(bigN, wide);
                }
            }
            previous = price;
            if (i < n) {
                assertNull(indicators.rsi(), "undefined before the " + (n + 1) + "th price");
                continue;
            }
            BigDecimal expected = avgLoss.signum() == 0 ? new BigDecimal("100")
                    : new BigDecimal("100").subtract(new BigDecimal("100")
                    .divide(BigDecimal.ONE.add(avgGain.divide(avgLoss, wide)), wide));
            BigDecimal relative = expected.subtract(indicators.rsi()).abs()
                    .divide(expected.abs().max(new BigDecimal("1e-30")), MathContext.DECIMAL64);
            assertTrue(relative.compareTo(new BigDecimal("1e-9")) <= 0, "at " + i + ": " + indicators.rsi() + " vs " + expected);
        }
    }
}
