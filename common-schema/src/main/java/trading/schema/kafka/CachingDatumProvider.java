package trading.schema.kafka;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

/**
 * Apicurio's datum provider with a cache in front that costs nothing per record. The default one
 * keys its own cache by the schema's parsing fingerprint, which it computes again for every
 * record (the canonical form written out and hashed): the largest single cost of decoding a price
 * in a profile. The registry hands out one {@link Schema} instance per schema id, so the last
 * schema seen, compared by identity, is the key here; another schema goes to the default provider.
 * Readers and writers are used by several threads at once, as the default provider's are.
 */
public class CachingDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private record Memo<V>(Schema schema, V value) {
    }

    private volatile Memo<DatumReader<T>> lastReader;
    private volatile Memo<DatumWriter<T>> lastWriter;

    public CachingDatumProvider() {
        super();
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        Memo<DatumReader<T>> memo = lastReader;
        if (memo != null && memo.schema() == schema) {
            return memo.value();
        }
        DatumReader<T> reader = super.createDatumReader(schema);
        lastReader = new Memo<>(schema, reader);
        return reader;
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        Memo<DatumWriter<T>> memo = lastWriter;
        if (memo != null && memo.schema() == schema) {
            return memo.value();
        }
        DatumWriter<T> writer = super.createDatumWriter(data, schema);
        lastWriter = new Memo<>(schema, writer);
        return writer;
    }
}
