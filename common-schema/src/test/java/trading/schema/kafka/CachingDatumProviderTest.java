package trading.schema.kafka;

import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;
import trading.schema.Price;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class CachingDatumProviderTest {

    private static Price price() {
        return Price.newBuilder().setTicker("AAPL").setPrice(new BigDecimal("187.25000000")).setSize(new BigDecimal("10.00000000"))
                .setEventTime(Instant.ofEpochMilli(1_000)).setSequence(7).setSource("s").setPublishTime(Instant.ofEpochMilli(2_000))
                .build();
    }

    @Test
    void theSameSchemaInstanceGetsTheSameReaderAndItStillDecodes() throws Exception {
        CachingDatumProvider<Price> provider = new CachingDatumProvider<>();
        provider.setUseSpecificAvroReader(true);
        Schema schema = Price.getClassSchema();
        DatumReader<Price> reader = provider.createDatumReader(schema);
        assertSame(reader, provider.createDatumReader(schema));
        byte[] bytes = new AvroBinarySerde<Price>(schema).serializer().serialize("t", price());
        assertEquals(price(), reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
        assertSame(provider.createDatumWriter(price(), schema), provider.createDatumWriter(price(), schema));
    }

    @Test
    void aWriterSchemaOtherThanTheLastGetsAReaderForItself() throws Exception {
        CachingDatumProvider<Price> provider = new CachingDatumProvider<>();
        provider.setUseSpecificAvroReader(true);
        // an older writer schema without publishTime: the reader must resolve it, not reuse the last one
        Schema current = Price.getClassSchema();
        java.util.List<Schema.Field> fields = current.getFields().stream().filter(f -> !f.name().equals("publishTime"))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        Schema writer = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
        provider.createDatumReader(current);
        DatumReader<Price> reader = provider.createDatumReader(writer);
        assertNotSame(provider.createDatumReader(current), reader);

        org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericData.Record(writer);
        Price price = price();
        for (Schema.Field field : fields) {
            old.put(field.name(), price.get(field.name()));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<org.apache.avro.generic.GenericRecord>(writer,
                org.apache.avro.specific.SpecificData.getForSchema(current)).write(old, encoder);
        encoder.flush();
        Price read = reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertEquals("AAPL", read.getTicker());
        assertEquals(7, read.getSequence());
        assertEquals(new BigDecimal("187.25000000"), read.getPrice());
    }
}
