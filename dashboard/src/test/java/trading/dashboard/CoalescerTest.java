package trading.dashboard;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoalescerTest {

    record Tick(String ticker, int n) {
    }

    @Test
    void aBurstBecomesOneUpdatePerKeyWithTheNewestValue() {
        Coalescer<String, Tick> coalescer = new Coalescer<>();
        // 5 000 prices over 1 000 tickers, as one push interval at 20 000/s would bring
        for (int n = 0; n < 5_000; n++) {
            String ticker = "T" + (n % 1_000);
            coalescer.offer(ticker, new Tick(ticker, n));
        }
        List<Tick> drained = coalescer.drain();
        assertEquals(1_000, drained.size());
        for (int i = 0; i < drained.size(); i++) {
            Tick tick = drained.get(i);
            assertEquals("T" + i, tick.ticker(), "in the order the keys first changed");
            assertEquals(4_000 + i, tick.n(), "the newest value wins");
        }
        assertTrue(coalescer.drain().isEmpty(), "a drain forgets what it returned");
    }

    @Test
    void aKeyOfferedAgainAfterADrainComesInTheNextOne() {
        Coalescer<String, Tick> coalescer = new Coalescer<>();
        coalescer.offer("A", new Tick("A", 1));
        assertEquals(List.of(new Tick("A", 1)), coalescer.drain());
        coalescer.offer("A", new Tick("A", 2));
        coalescer.offer("B", new Tick("B", 3));
        assertEquals(List.of(new Tick("A", 2), new Tick("B", 3)), coalescer.drain());
    }

    @Test
    void offersDuringDrainsAreNeverLostAndTheLastValueAlwaysArrives() throws Exception {
        Coalescer<String, Tick> coalescer = new Coalescer<>();
        int keys = 50;
        int perKey = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            started.countDown();
            for (int n = 0; n < perKey; n++) {
                for (int k = 0; k < keys; k++) {
                    coalescer.offer("K" + k, new Tick("K" + k, n));
                }
            }
            done.set(true);
        });
        writer.start();
        started.await();
        Map<String, Integer> newestSeen = new HashMap<>();
        List<Integer> drainSizes = new ArrayList<>();
        while (!done.get() || coalescer.pending() > 0) {
            List<Tick> drained = coalescer.drain();
            drainSizes.add(drained.size());
            for (Tick tick : drained) {
                Integer before = newestSeen.put(tick.ticker(), tick.n());
                assertTrue(before == null || before < tick.n(), "values of a key only move forward");
                assertTrue(drained.stream().filter(t -> t.ticker().equals(tick.ticker())).count() == 1,
                        "a key at most once per drain");
            }
        }
        writer.join();
        newestSeen.putAll(toMap(coalescer.drain()));
        assertEquals(keys, newestSeen.size());
        newestSeen.values().forEach(n -> assertEquals(perKey - 1, n, "every key's last value reached the reader"));
        assertTrue(drainSizes.stream().allMatch(size -> size <= keys));
    }

    private static Map<String, Integer> toMap(List<Tick> ticks) {
        Map<String, Integer> map = new HashMap<>();
        ticks.forEach(t -> map.put(t.ticker(), t.n()));
        return map;
    }
}
