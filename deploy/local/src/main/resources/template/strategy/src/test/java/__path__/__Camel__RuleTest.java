package trading.strategy.__package__;

import org.junit.jupiter.api.Test;
import trading.strategy.Position;
import trading.strategy.Signal;
import trading.strategy.SignalRule;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The rule alone, price by price: no Kafka. */
class __Camel__RuleTest {

    private final __Camel__Rule rule = new __Camel__Rule("__name__", 3);

    private __Camel__Rule.Indicators apply(__Camel__Rule.Indicators indicators, String... prices) {
        for (String price : prices) {
            indicators = rule.evaluate(indicators, new BigDecimal(price), Position.FLAT).indicators();
        }
        return indicators;
    }

    @Test
    void buysAboveTheChannelOnlyOnceTheWindowIsFull() {
        SignalRule.Evaluation<__Camel__Rule.Indicators> early = rule.evaluate(apply(rule.initial(), "10", "11"),
                new BigDecimal("50"), Position.FLAT);
        assertNull(early.signal(), "two prices are not a channel of three");
        __Camel__Rule.Indicators full = apply(rule.initial(), "10", "11", "10");
        assertNull(rule.evaluate(full, new BigDecimal("11"), Position.FLAT).signal(), "equal to the high is not above it");
        assertEquals(Signal.BUY, rule.evaluate(full, new BigDecimal("11.01"), Position.FLAT).signal());
        assertNull(rule.evaluate(full, new BigDecimal("12"), Position.LONG).signal(), "already long");
    }

    @Test
    void sellsBelowTheChannelWhileLong() {
        __Camel__Rule.Indicators full = apply(rule.initial(), "10", "11", "10.5");
        assertEquals(Signal.SELL, rule.evaluate(full, new BigDecimal("9.99"), Position.LONG).signal());
        assertNull(rule.evaluate(full, new BigDecimal("9.99"), Position.FLAT).signal(), "flat: nothing to sell");
        assertEquals(new BigDecimal("11"), rule.values(full).get("upper"));
        assertEquals(new BigDecimal("10"), rule.values(full).get("lower"));
    }
}
