package trading.schema.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import trading.schema.Decimals;
import trading.schema.Order;
import trading.schema.OrderIds;
import trading.schema.OrderType;
import trading.schema.Price;
import trading.schema.Side;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a strategy in another language must compute exactly as the Java services do, written by the
 * Java code itself: order ids, the partition of a ticker, decimals on the wire, and a whole Order
 * and a whole Price in Avro binary. strategy-qrs's tests (Python) check their own code against this
 * file; this test fails when the Java side changes and the file was not written again
 * ({@code ./mvnw -pl common-schema test -Dtest=OtherLanguagesVectorsTest -Dvectors.write=true}).
 */
class OtherLanguagesVectorsTest {

    static final Path FILE = Path.of("../strategy-qrs/tests/java-vectors.json");

    @Test
    void theCommittedVectorsAreWhatTheJavaCodeComputes() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String expected = json.writeValueAsString(vectors()) + "\n";
        if (Boolean.getBoolean("vectors.write")) {
            Files.writeString(FILE, expected);
        }
        assertEquals(expected, Files.readString(FILE),
                FILE + " is not what the Java code computes: write it again (see this test's Javadoc)");
    }

    static Map<String, Object> vectors() throws IOException {
        Map<String, Object> vectors = new LinkedHashMap<>();
        List<Map<String, Object>> ids = new ArrayList<>();
        for (Object[] v : new Object[][]{{"qrs", "AAPL", "sim-42-1796302436313", 1L}, {"abc", "MSFT", "replay:prices.csv", 913L},
                {"qrs", "BRK.B", "replay:a,b \"c\".csv", Long.MAX_VALUE}, {"qrs", "ÄÖ:€", "sim-7-1", 42L},
                {"any-team", "T0001", "", 0L}}) {
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("strategy", v[0]);
            id.put("ticker", v[1]);
            id.put("source", v[2]);
            id.put("sequence", v[3]);
            id.put("orderId", OrderIds.derive((String) v[0], (String) v[1], (String) v[2], (Long) v[3]));
            ids.add(id);
        }
        vectors.put("orderIds", ids);

        List<Map<String, Object>> partitions = new ArrayList<>();
        for (String ticker : List.of("AAPL", "MSFT", "GOOG", "BRK.B", "T0001", "T0123", "X", "ÄÖ:€", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ticker", ticker);
            p.put("murmur2", Utils.murmur2(ticker.getBytes(StandardCharsets.UTF_8)));
            p.put("partitionOf12", Utils.toPositive(Utils.murmur2(ticker.getBytes(StandardCharsets.UTF_8))) % 12);
            partitions.add(p);
        }
        vectors.put("partitions", partitions);

        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        Schema decimalSchema = LogicalTypes.decimal(24, Decimals.WIRE_SCALE).addToSchema(Schema.create(Schema.Type.BYTES));
        List<Map<String, Object>> wire = new ArrayList<>();
        for (String value : List.of("0", "1", "0.00000001", "1.27", "1.28", "100", "408.7851", "-1.28", "-1.29",
                "9999999999999999.99999999", "-0.00000001")) {
            ByteBuffer bytes = decimals.toBytes(Decimals.toWire(new BigDecimal(value)), decimalSchema, decimalSchema.getLogicalType());
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("value", value);
            d.put("unscaled", Decimals.toWire(new BigDecimal(value)).unscaledValue().toString());
            d.put("bytes", HexFormat.of().formatHex(array));
            wire.add(d);
        }
        vectors.put("decimals", wire);

        Order order = Order.newBuilder().setOrderId(OrderIds.derive("qrs", "AAPL", "sim-42-1", 77)).setStrategy("qrs")
                .setTicker("AAPL").setSide(Side.SELL).setQuantity(Decimals.toWire(new BigDecimal("100")))
                .setOrderType(OrderType.MARKET).setLimitPrice(null).setReferencePrice(Decimals.toWire(new BigDecimal("187.25")))
                .setPriceSource("sim-42-1").setPriceSequence(77).setPriceEventTime(Instant.ofEpochMilli(1796302436313L))
                .setPricePublishTime(Instant.ofEpochSecond(1796302436L, 313_123_000L))
                .setDecisionTime(Instant.ofEpochSecond(1796302436L, 315_456_000L)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Order.class).write(order, encoder);
        encoder.flush();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("orderId", order.getOrderId());
        o.put("strategy", "qrs");
        o.put("ticker", "AAPL");
        o.put("side", "SELL");
        o.put("quantityUnscaled", "10000000000");
        o.put("referencePriceUnscaled", "18725000000");
        o.put("priceSource", "sim-42-1");
        o.put("priceSequence", 77);
        o.put("priceEventTime", 1796302436313L);
        o.put("pricePublishTime", 1796302436313123L);
        o.put("decisionTime", 1796302436315456L);
        o.put("avroBinary", HexFormat.of().formatHex(out.toByteArray()));
        vectors.put("order", o);

        // a price as the feed writes it, with a source outside ASCII and a price of several bytes
        Price price = Price.newBuilder().setTicker("BRK.B").setPrice(Decimals.toWire(new BigDecimal("412345.12345678")))
                .setSize(Decimals.toWire(new BigDecimal("0.5"))).setEventTime(Instant.ofEpochMilli(1796302436313L))
                .setSequence(913).setSource("replay:cours-été.csv")
                .setPublishTime(Instant.ofEpochSecond(1796302436L, 313_123_000L)).build();
        out = new ByteArrayOutputStream();
        encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Price.class).write(price, encoder);
        encoder.flush();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ticker", "BRK.B");
        p.put("priceUnscaled", "41234512345678");
        p.put("sizeUnscaled", "50000000");
        p.put("eventTime", 1796302436313L);
        p.put("sequence", 913);
        p.put("source", "replay:cours-été.csv");
        p.put("publishTime", 1796302436313123L);
        p.put("avroBinary", HexFormat.of().formatHex(out.toByteArray()));
        vectors.put("price", p);
        return vectors;
    }
}
