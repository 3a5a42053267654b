package trading.schema.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import trading.schema.Decimals;
import trading.schema.Price;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AvroBinarySerdeTest {

    private final AvroBinarySerde<Price> serde = new AvroBinarySerde<>(Price.getClassSchema());

    @Test
    void roundTripKeepsDecimalsExact() {
        Price price = Price.newBuilder().setTicker("AAPL").setPrice(Decimals.toWire(new BigDecimal("187.12345678")))
                .setSize(Decimals.toWire(BigDecimal.TEN)).setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setSequence(3).setSource("test").setPublishTime(Instant.ofEpochSecond(1, 5_000)).build();
        Price back = serde.deserializer().deserialize("prices", serde.serializer().serialize("prices", price));
        assertEquals(price, back);
        assertEquals("187.12345678", back.getPrice().toPlainString());
    }

    @Test
    void garbageIsASerializationException() {
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("prices", new byte[]{1, 2, 3, (byte) 0xff}));
    }
}
