package trading.deploy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM service may take beyond its heap, against its container's memory limit. The JVM
 * options must cap every large region (heap as a share of the limit, metaspace, code cache,
 * direct buffers); RocksDB's budget is the services' {@code pipeline.rocksdb.memory-mb}; thread
 * stacks, GC structures and other native allocations get a fixed allowance. What is left is the
 * headroom, which must be at least {@link #MIN_HEADROOM} of the limit (docs/kubernetes.md: Sizing).
 */
record MemoryBudget(String who, long limitMiB, double heapPercent, long metaspaceMiB, long codeCacheMiB,
                    long directMiB, long rocksDbMiB) {

    /** Thread stacks (about 60 threads, most using far less than their reserved 1 MiB), GC, JIT, libc. */
    static final long THREADS_AND_NATIVE_MIB = 64;
    static final double MIN_HEADROOM = 0.10;

    static MemoryBudget of(String who, long limitMiB, String javaOptions, long rocksDbMiB) {
        return new MemoryBudget(who, limitMiB, percent(who, javaOptions), size(who, javaOptions, "MaxMetaspaceSize"),
                size(who, javaOptions, "ReservedCodeCacheSize"), size(who, javaOptions, "MaxDirectMemorySize"), rocksDbMiB);
    }

    long heapMiB() {
        return (long) (limitMiB * heapPercent / 100);
    }

    long committedMiB() {
        return heapMiB() + metaspaceMiB + codeCacheMiB + directMiB + rocksDbMiB + THREADS_AND_NATIVE_MIB;
    }

    long headroomMiB() {
        return limitMiB - committedMiB();
    }

    boolean leavesHeadroom() {
        return headroomMiB() >= limitMiB * MIN_HEADROOM;
    }

    @Override
    public String toString() {
        return who + ": limit " + limitMiB + " MiB = heap " + heapMiB() + " + metaspace " + metaspaceMiB + " + code "
                + codeCacheMiB + " + direct " + directMiB + " + RocksDB " + rocksDbMiB + " + threads/native "
                + THREADS_AND_NATIVE_MIB + " + headroom " + headroomMiB();
    }

    private static double percent(String who, String options) {
        Matcher m = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(options);
        if (!m.find()) {
            throw new AssertionError(who + ": the heap is not a share of the limit (-XX:MaxRAMPercentage): " + options);
        }
        return Double.parseDouble(m.group(1));
    }

    private static long size(String who, String options, String flag) {
        Matcher m = Pattern.compile("-XX:" + flag + "=(\\d+)([kKmMgG])").matcher(options);
        if (!m.find()) {
            throw new AssertionError(who + ": -XX:" + flag + " is not capped, so the memory it takes is unbounded: " + options);
        }
        long value = Long.parseLong(m.group(1));
        return switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> Math.max(1, value / 1024);
            case 'g' -> value * 1024;
            default -> value;
        };
    }

    /** A Kubernetes or compose quantity (768Mi, 1Gi, 512m, 1g) in MiB. */
    static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi|m|g|M|G)").matcher(quantity.trim());
        if (!m.matches()) {
            throw new AssertionError("not a memory size: " + quantity);
        }
        long value = Long.parseLong(m.group(1));
        return Map.of("Mi", 1L, "m", 1L, "M", 1L, "Gi", 1024L, "g", 1024L, "G", 1024L).get(m.group(2)) * value;
    }
}
