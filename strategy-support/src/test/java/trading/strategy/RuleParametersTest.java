package trading.strategy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A catalog entry's parameters against what its rule declares. */
class RuleParametersTest {

    /** A rule type with a whole-number and a decimal parameter; its rule is never run here. */
    private static final RuleType TYPE = new RuleType() {
        @Override
        public String id() {
            return "test-rule";
        }

        @Override
        public String description() {
            return "for tests";
        }

        @Override
        public List<RuleParameter> parameters() {
            return List.of(RuleParameter.integer("window", 20, "prices"), RuleParameter.decimal("band", "1.5", "width"));
        }

        @Override
        public List<IndicatorPlot> indicators(RuleParameters parameters) {
            return List.of();
        }

        @Override
        public SignalRule<?> create(String strategyName, RuleParameters parameters) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void givenValuesOverTheDefaultsInDeclaredOrder() {
        RuleParameters parameters = RuleParameters.of(TYPE, Map.of("band", "2.25"));
        assertEquals(List.of("window", "band"), parameters.names());
        assertEquals(20, parameters.integer("window"));
        assertEquals(new BigDecimal("2.25"), parameters.decimal("band"));
        assertEquals("window=20 band=2.25", parameters.toString());
        assertEquals(20, RuleParameters.of(TYPE, Map.of("window", "20.0")).integer("window"), "a whole number written with a fraction");
    }

    @Test
    void anUnknownNameOrABadValueIsRefusedWithTheReason() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RuleParameters.of(TYPE, Map.of("windw", "3")));
        assertTrue(unknown.getMessage().contains("no parameter 'windw'") && unknown.getMessage().contains("band, window"),
                unknown.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> RuleParameters.of(TYPE, Map.of("band", "wide")));
        assertTrue(text.getMessage().contains("must be a number"), text.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> RuleParameters.of(TYPE, Map.of("window", "2.5")));
        assertTrue(fraction.getMessage().contains("must be a whole number"), fraction.getMessage());
    }

    @Test
    void aStrategyKnowsItsIndicatorsAndApplicationId() {
        IndicatorPlot rsi = IndicatorPlot.oscillator("rsi", "RSI 14", BigDecimal.ZERO, BigDecimal.valueOf(100),
                BigDecimal.valueOf(30), BigDecimal.valueOf(70));
        assertEquals(List.of(BigDecimal.valueOf(30), BigDecimal.valueOf(70)), rsi.bands());
        assertThrows(IllegalArgumentException.class, () -> new IndicatorPlot("x", "x", "sideways", null, null, List.of()));
        assertEquals("trading-strategy.abc-slow", StrategyInfo.applicationId("abc-slow"));
    }
}
