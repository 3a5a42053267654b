package trading.execution.fix;

import quickfix.fix44.OrderStatusRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Orders whose state the gateway must ask the exchange about again (a report it could not read or
 * could not publish), paced so that asking cannot feed on itself.
 * <p>
 * A report the session rejects does not say which order it was about, so every open order is
 * asked about. If the answers can be unreadable too (a hostile or broken counterparty), asking on
 * every poll round would turn each unreadable answer into a new round of questions about every
 * open order: hundreds of requests a second, and the exchange too busy to answer the outbox's own
 * status questions. So each order is asked at most once per {@code interval} however often it is
 * re-armed, and while it gets no readable answer the wait doubles, up to {@code longest}. A
 * readable report ends the asking; nothing is dropped, only delayed.
 * <p>
 * A report the session rejects says nothing of its order, so every open order must be asked
 * about; but one in twenty reports of a broken counterparty may be such, and asking about every
 * open order after each would still be hundreds of questions a second. So these reports only
 * call for a sweep ({@link #unidentified()}), and sweeps are at most one per {@code sweepEvery}:
 * every report rejected meanwhile is covered by the next one.
 * <p>
 * Thread-safe: armed from QuickFIX/J's threads, drained by the gateway's loop.
 */
final class StatusRechecks {

    private final long interval;
    private final long longest;
    private final long sweepEvery;
    private final LongSupplier nanoClock;
    /** Reports the session rejected since the last sweep (0: no sweep wanted). */
    private int unidentified;
    private long lastSweep;
    private boolean swept;
    /** Still to be answered: the request, when it is next due, and the wait after that. */
    private final Map<String, Pending> pending = new HashMap<>();
    /** When each order was last asked about, kept for one interval after it was answered. */
    private final Map<String, Long> lastAsked = new HashMap<>();

    private static final class Pending {
        final OrderStatusRequest request;
        long due;
        long wait;

        Pending(OrderStatusRequest request, long due, long wait) {
            this.request = request;
            this.due = due;
            this.wait = wait;
        }
    }

    StatusRechecks(Duration interval, Duration longest, Duration sweepEvery, LongSupplier nanoClock) {
        if (interval.isNegative() || interval.isZero() || longest.compareTo(interval) < 0) {
            throw new IllegalArgumentException("recheck interval " + interval + " must be positive and at most " + longest);
        }
        if (sweepEvery.isNegative() || sweepEvery.compareTo(longest) > 0) {
            throw new IllegalArgumentException("sweep interval " + sweepEvery + " must be from 0 to " + longest);
        }
        this.interval = interval.toNanos();
        this.longest = longest.toNanos();
        this.sweepEvery = sweepEvery.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A report the session rejected before anyone could tell which order it was about. */
    synchronized void unidentified() {
        unidentified++;
    }

    /**
     * Whether every open order is to be asked about now: some report was rejected unidentified
     * since the last sweep, and the last sweep is {@code sweepEvery} old. Returns how many reports
     * the sweep covers, 0 when none is due; the caller then arms every open order.
     */
    synchronized int sweepDue() {
        long now = nanoClock.getAsLong();
        if (unidentified == 0 || swept && now - lastSweep < sweepEvery) {
            return 0;
        }
        int covered = unidentified;
        unidentified = 0;
        lastSweep = now;
        swept = true;
        return covered;
    }

    /**
     * The order is to be asked about: now, or one interval after it was last asked. An order
     * already waiting keeps its turn (re-arming it does not make it sooner). True if it was not
     * waiting already.
     */
    synchronized boolean arm(String orderId, OrderStatusRequest request) {
        if (pending.containsKey(orderId)) {
            return false;
        }
        long now = nanoClock.getAsLong();
        Long asked = lastAsked.get(orderId);
        long due = asked == null ? now : Math.max(now, asked + interval);
        pending.put(orderId, new Pending(request, due, interval));
        return true;
    }

    /** A readable report of the order was published: no more asking. */
    synchronized void answered(String orderId) {
        pending.remove(orderId);
    }

    /**
     * The requests due now, each marked asked: it is due again after its wait, which then doubles
     * (up to {@code longest}) until an answer comes.
     */
    synchronized List<OrderStatusRequest> due() {
        long now = nanoClock.getAsLong();
        lastAsked.values().removeIf(asked -> now - asked >= interval);
        List<OrderStatusRequest> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Pending> entry = it.next();
            Pending next = entry.getValue();
            if (next.due - now <= 0) {
                due.add(next.request);
                lastAsked.put(entry.getKey(), now);
                next.due = now + next.wait;
                next.wait = Math.min(longest, next.wait * 2);
            }
        }
        return due;
    }

    synchronized boolean waiting(String orderId) {
        return pending.containsKey(orderId);
    }

    synchronized int size() {
        return pending.size();
    }
}
