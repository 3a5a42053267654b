package trading.schema.kafka;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Puts every RocksDB store of the JVM under one memory budget: one block cache shared by all
 * stores, with their memtables (through a write buffer manager) and their index and filter blocks
 * counted in it. Without it each store sizes its own cache and memtables, so memory grows with the
 * number of tasks and a container's limit cannot be chosen ahead (docs/kubernetes.md: Sizing).
 *
 * <p>Set with {@code rocksdb.config.setter}; the budget is {@value #MEMORY_MB} in the Streams
 * configuration (megabytes, default {@value #DEFAULT_MEMORY_MB}). The state here is a few hundred
 * bytes per ticker, and the Streams record cache sits in front of the stores, so the budget
 * bounds rather than limits.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final String MEMORY_MB = "pipeline.rocksdb.memory-mb";
    static final long DEFAULT_MEMORY_MB = 32;
    /** Share of the budget memtables may take; the rest caches blocks. */
    static final double MEMTABLE_SHARE = 0.25;

    private static Budget budget;

    /** The cache and write buffer manager every store shares; made once, on the first store. */
    record Budget(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    static synchronized Budget budget(long bytes) {
        if (budget == null) {
            // -1: RocksDB picks the shard count; false: a full cache evicts instead of failing
            // writes; 0.1: index and filter blocks kept at high priority
            LRUCache cache = new LRUCache(bytes, -1, false, 0.1);
            budget = new Budget(bytes, cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
        }
        return budget;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_MB);
        long megabytes;
        try {
            megabytes = configured == null ? DEFAULT_MEMORY_MB : Long.parseLong(configured.toString().trim());
        } catch (NumberFormatException e) {
            megabytes = 0;
        }
        if (megabytes <= 0) {
            throw new IllegalArgumentException(MEMORY_MB + " must be a positive number of megabytes, was '" + configured + "'");
        }
        Budget shared = budget(megabytes * 1024 * 1024);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
        // a store's memtables: at most two of a sixteenth of the memtable share each
        options.setWriteBufferSize(Math.max(1024 * 1024, (long) (shared.bytes() * MEMTABLE_SHARE / 16)));
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write buffer manager outlive any one store: they are never closed here
    }
}
