package trading.schema.kafka;

import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedRocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    private static Options configured(String store, Map<String, Object> configs) {
        Options options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        new BoundedRocksDbMemory().setConfig(store, options, configs);
        return options;
    }

    @Test
    void everyStoreSharesOneBudgetForCacheAndMemtables() {
        try (Options first = configured("ticker-state", Map.of(BoundedRocksDbMemory.MEMORY_MB, "32"));
             Options second = configured("recent-signals", Map.of(BoundedRocksDbMemory.MEMORY_MB, "32"))) {
            BoundedRocksDbMemory.Budget budget = BoundedRocksDbMemory.budget(32L * 1024 * 1024);
            assertSame(budget.writeBuffers(), first.writeBufferManager(), "memtables are counted in the shared budget");
            assertSame(budget.writeBuffers(), second.writeBufferManager());
            assertEquals(2, first.maxWriteBufferNumber());
            assertTrue(first.writeBufferSize() <= budget.bytes() * BoundedRocksDbMemory.MEMTABLE_SHARE / 4,
                    "a store's memtable is a small part of the memtable share: " + first.writeBufferSize());
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertTrue(table.cacheIndexAndFilterBlocks(), "index and filter blocks are in the cache, not beside it");
        }
    }

    @Test
    void aBudgetThatIsNotAPositiveNumberIsRefusedWithTheSettingsName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> configured("ticker-state", Map.of(BoundedRocksDbMemory.MEMORY_MB, "0")));
        assertTrue(refused.getMessage().contains(BoundedRocksDbMemory.MEMORY_MB), refused.getMessage());
        refused = assertThrows(IllegalArgumentException.class,
                () -> configured("ticker-state", Map.of(BoundedRocksDbMemory.MEMORY_MB, "lots")));
        assertTrue(refused.getMessage().contains("lots"), refused.getMessage());
    }
}
