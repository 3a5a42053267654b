package trading.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What changed since the last look, newest value per key. The Kafka reader {@link #offer}s every
 * update (5 000 prices/s if the feed sends that many); the page's pusher {@link #drain}s a few times
 * a second and gets each changed key once, with its latest value, in the order the keys first
 * changed. So a browser sees at most one update per key per push, however fast the stream.
 *
 * <p>Thread-safe without a lock on the hot path: an offer during a drain lands either in this
 * drain or in the next, never nowhere.
 */
public final class Coalescer<K, V> {

    private final ConcurrentHashMap<K, V> latest = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<K> changedOrder = new ConcurrentLinkedQueue<>();

    public void offer(K key, V value) {
        if (latest.put(key, value) == null) {
            changedOrder.add(key); // first change since the last drain: remember when it came
        }
    }

    /** The latest value of every key offered since the last drain, oldest change first; forgets them. */
    public List<V> drain() {
        // only the keys queued when the drain began: one offered again meanwhile waits for the next,
        // so a drain holds each key once (the queue holds a key at most once: only its first offer adds it)
        int queued = changedOrder.size();
        List<V> values = new ArrayList<>(queued);
        for (int i = 0; i < queued; i++) {
            K key = changedOrder.poll();
            V value = latest.remove(key);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** How many keys wait for the next drain. */
    public int pending() {
        return latest.size();
    }
}
