package trading.strategy.xyz;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import trading.strategy.Tick;
import trading.strategy.TickerState;
import trading.strategy.streams.TickerStateCodec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** strategy-xyz's ticker state in the store: 34-digit averages round-trip exactly; earlier JSON still loads. */
class RsiStateEncodingTest {

    private final WilderRsi rule = new WilderRsi(14, new BigDecimal("30"), new BigDecimal("70"));
    private final Serde<TickerState<WilderRsi.Indicators>> serde = TickerStateCodec.serde(rule);

    @Test
    void everyStateOfARunReadsBackEqual() {
        Random random = new Random(11);
        TickerState<WilderRsi.Indicators> state = TickerState.initial("MSFT", rule);
        BigDecimal price = new BigDecimal("410.00000000");
        for (long sequence = 1; sequence <= 300; sequence++) {
            price = price.add(BigDecimal.valueOf(random.nextInt(301) - 150, 2));
            state = state.apply(rule, new Tick("MSFT", price, "sim-1", sequence, sequence)).state();
            byte[] bytes = serde.serializer().serialize("t", state);
            assertEquals(state, serde.deserializer().deserialize("t", bytes), "after price " + sequence);
        }
        assertTrue(state.indicators().avgGain().precision() > 18, "Wilder averages carry 34 digits");
    }

    @Test
    void stateWrittenAsJsonByThePreviousReleaseStillLoads() {
        String json = "{\"ticker\":\"MSFT\",\"lastPrice\":410.25000000,\"lastSource\":\"sim-42-1\",\"lastSequence\":30,"
                + "\"lastEventTimeMillis\":1700000000030,\"updates\":30,\"skipped\":0,\"position\":\"FLAT\","
                + "\"lastSignal\":\"SELL\",\"indicators\":{\"changes\":29,\"lastPrice\":410.25000000,"
                + "\"avgGain\":0.4123456789012345678901234567890123,\"avgLoss\":0.3876543210987654321098765432109877,"
                + "\"rsi\":51.54320987654320987654320987654321},\"lastSequenceBySource\":{\"sim-42-1\":30}}";
        TickerState<WilderRsi.Indicators> old = serde.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(29, old.indicators().changes());
        assertEquals(new BigDecimal("0.4123456789012345678901234567890123"), old.indicators().avgGain());
        assertEquals(new BigDecimal("51.54320987654320987654320987654321"), old.indicators().rsi());
        TickerState<WilderRsi.Indicators> next = old.apply(rule,
                new Tick("MSFT", new BigDecimal("410.50000000"), "sim-42-1", 31, 0)).state();
        assertEquals(next, serde.deserializer().deserialize("t", serde.serializer().serialize("t", next)));
    }
}
