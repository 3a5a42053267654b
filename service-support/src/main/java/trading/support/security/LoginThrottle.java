package trading.support.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits failed logins per user name: after {@code maxFailures} within {@code window}, that name's
 * logins are refused, without checking the password, until the oldest failure leaves the window.
 * Keyed by the name given, whether or not it exists, so the refusal says nothing about which names
 * do. The names followed are bounded ({@link #MAX_NAMES}); beyond that the longest-idle is dropped.
 */
public final class LoginThrottle {

    /** Names followed at once: a flood of made-up names must not grow the heap. */
    static final int MAX_NAMES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code name} must wait before its next login is checked, or empty if it may try now. */
    public synchronized Optional<Duration> waitFor(String name) {
        Deque<Long> times = recent(name);
        if (times == null || times.size() < maxFailures) {
            return Optional.empty();
        }
        long until = times.peekFirst() + window.toMillis();
        return Optional.of(Duration.ofMillis(Math.max(1, until - clock.millis())));
    }

    public synchronized void failed(String name) {
        Deque<Long> times = recent(name);
        if (times == null) {
            times = new ArrayDeque<>();
            failures.put(name, times);
            if (failures.size() > MAX_NAMES) {
                Iterator<String> eldest = failures.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        times.addLast(clock.millis());
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
    }

    public synchronized void succeeded(String name) {
        failures.remove(name);
    }

    synchronized int namesFollowed() {
        return failures.size();
    }

    private Deque<Long> recent(String name) {
        Deque<Long> times = failures.get(name);
        if (times == null) {
            return null;
        }
        long since = clock.millis() - window.toMillis();
        while (!times.isEmpty() && times.peekFirst() <= since) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(name);
            return null;
        }
        return times;
    }
}
