package trading.strategy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per price source, the last sequence applied to one ticker: what tells a re-delivered price from
 * a new one. Every run of the simulated feed and every replayed file is a source of its own, so
 * the map is bounded: it keeps the {@link #LIMIT} sources applied most recently and forgets the
 * least recent. A re-delivery (an aborted transaction, a republished slice, a file replayed
 * again) comes from a source still in use, so it is still recognised; only a source that
 * {@value #LIMIT} other sources have followed on this ticker since is forgotten.
 *
 * <p>Immutable; {@link #with} copies two small arrays (the usual case, the same source as the
 * last price, copies only the sequences).
 */
public final class SourceSequences {

    public static final int LIMIT = 16;

    private static final SourceSequences NONE = new SourceSequences(new String[0], new long[0]);

    private final String[] sources;   // most recently applied first
    private final long[] sequences;

    private SourceSequences(String[] sources, long[] sequences) {
        this.sources = sources;
        this.sequences = sequences;
    }

    public static SourceSequences none() {
        return NONE;
    }

    /** Sources and sequences, most recently applied first (what the compact encoding writes back). */
    public static SourceSequences of(String[] sources, long[] sequences) {
        if (sources.length != sequences.length || sources.length > LIMIT) {
            throw new IllegalArgumentException("need as many sequences as sources, at most " + LIMIT);
        }
        return sources.length == 0 ? NONE : new SourceSequences(sources.clone(), sequences.clone());
    }

    /** From a map in its iteration order, most recent first (JSON, and state written by earlier releases). */
    @JsonCreator
    public static SourceSequences fromMap(Map<String, Long> bySource) {
        if (bySource == null || bySource.isEmpty()) {
            return NONE;
        }
        // not cut here: the order of an old map is not recency; the next price trims it (see TickerStateCodec)
        int size = bySource.size();
        String[] sources = new String[size];
        long[] sequences = new long[size];
        int i = 0;
        for (Map.Entry<String, Long> entry : bySource.entrySet()) {
            sources[i] = entry.getKey();
            sequences[i++] = entry.getValue();
        }
        return new SourceSequences(sources, sequences);
    }

    @JsonValue
    public Map<String, Long> toMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < sources.length; i++) {
            map.put(sources[i], sequences[i]);
        }
        return map;
    }

    public int size() {
        return sources.length;
    }

    public String source(int index) {
        return sources[index];
    }

    public long sequence(int index) {
        return sequences[index];
    }

    /** Whether a price of {@code source} with {@code sequence} was applied already (or an older one). */
    public boolean applied(String source, long sequence) {
        int index = indexOf(source);
        return index >= 0 && sequence <= sequences[index];
    }

    /** After applying {@code sequence} of {@code source}: it moves to the front, the least recent drops past the limit. */
    public SourceSequences with(String source, long sequence) {
        int index = indexOf(source);
        if (index == 0 && sources.length <= LIMIT) {
            long[] next = sequences.clone();
            next[0] = sequence;
            return new SourceSequences(sources, next);
        }
        int size = Math.min(LIMIT, index >= 0 ? sources.length : sources.length + 1);
        String[] nextSources = new String[size];
        long[] nextSequences = new long[size];
        nextSources[0] = source;
        nextSequences[0] = sequence;
        int to = 1;
        for (int from = 0; from < sources.length && to < size; from++) {
            if (from != index) {
                nextSources[to] = sources[from];
                nextSequences[to++] = sequences[from];
            }
        }
        return new SourceSequences(nextSources, nextSequences);
    }

    private int indexOf(String source) {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i].equals(source)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourceSequences that && Arrays.equals(sources, that.sources)
                && Arrays.equals(sequences, that.sequences);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sources) + Arrays.hashCode(sequences);
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
