package trading.execution.fix;

import trading.schema.BrokerEventType;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the FIX gateway has done, for {@code GET /broker}: counts, and the round trip from handing
 * an order to the session until its first fill (the last 1 000 orders).
 */
public final class GatewayStats {

    private static final int WINDOW = 1_000;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong fills = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong reconciled = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong statusRequests = new AtomicLong();
    private final AtomicLong logons = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Map<String, Long> awaitingFill = new ConcurrentHashMap<>();
    private final long[] roundTrips = new long[WINDOW];
    private long roundTripCount;
    private volatile long firstSentNanos;
    private volatile long lastSentNanos;

    /** Counts and round trip percentiles in milliseconds; {@code ordersPerSecond} from the first to the last order sent. */
    public record Snapshot(String session, boolean loggedOn, long sent, long accepted, long fills, long rejected,
                           long reconciled, long retried, long statusRequests, long logons, long unreadableReports, int inFlight,
                           double ordersPerSecond, long roundTrips, Double roundTripP50Millis,
                           Double roundTripP99Millis, Double roundTripMaxMillis) {
    }

    void sent() {
        long now = System.nanoTime();
        if (sent.getAndIncrement() == 0) {
            firstSentNanos = now;
        }
        lastSentNanos = now;
    }

    void answered(BrokerEventType type, long elapsedNanos) {
        switch (type) {
            case ACCEPTED -> accepted.incrementAndGet();
            case FILL -> {
                fills.incrementAndGet();
                roundTrip(elapsedNanos);
            }
            case REJECTED -> rejected.incrementAndGet();
            default -> {
            }
        }
    }

    void awaitFill(String orderId, long sentNanos) {
        awaitingFill.put(orderId, sentNanos);
    }

    void filled(String orderId) {
        fills.incrementAndGet();
        Long sentAt = awaitingFill.remove(orderId);
        if (sentAt != null) {
            roundTrip(System.nanoTime() - sentAt);
        }
    }

    void rejected() {
        rejected.incrementAndGet();
    }

    void reconciled() {
        reconciled.incrementAndGet();
    }

    void retried() {
        retried.incrementAndGet();
    }

    void statusRequested() {
        statusRequests.incrementAndGet();
    }

    /** An execution report rejected as unreadable (a field missing, an amount the wire cannot carry). */
    void unreadable() {
        unreadable.incrementAndGet();
    }

    void loggedOn() {
        logons.incrementAndGet();
    }

    private synchronized void roundTrip(long nanos) {
        roundTrips[(int) (roundTripCount++ % WINDOW)] = nanos;
    }

    synchronized Snapshot snapshot(String session, boolean loggedOn, int inFlight) {
        int n = (int) Math.min(roundTripCount, WINDOW);
        long[] sorted = Arrays.copyOf(roundTrips, n);
        Arrays.sort(sorted);
        long count = sent.get();
        double seconds = (lastSentNanos - firstSentNanos) / 1e9;
        return new Snapshot(session, loggedOn, count, accepted.get(), fills.get(), rejected.get(), reconciled.get(),
                retried.get(), statusRequests.get(), logons.get(), unreadable.get(), inFlight,
                count > 1 && seconds > 0 ? Math.round((count - 1) / seconds * 10) / 10.0 : 0,
                roundTripCount, percentile(sorted, 0.50), percentile(sorted, 0.99),
                n == 0 ? null : sorted[n - 1] / 1e6);
    }

    private static Double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return Math.round(sorted[Math.max(0, index)] / 1e4) / 100.0;
    }
}
