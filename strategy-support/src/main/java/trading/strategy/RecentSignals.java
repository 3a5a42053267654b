package trading.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * A ticker's latest signals, newest first, at most {@link #LIMIT}. Kept apart from
 * {@link TickerState} because it changes only when a signal fires, not on every price.
 */
public record RecentSignals(List<SignalEvent> newestFirst) {

    public static final int LIMIT = 20;

    public static RecentSignals none() {
        return new RecentSignals(List.of());
    }

    public RecentSignals with(SignalEvent signal) {
        List<SignalEvent> next = new ArrayList<>(Math.min(newestFirst.size() + 1, LIMIT));
        next.add(signal);
        next.addAll(newestFirst.subList(0, Math.min(newestFirst.size(), LIMIT - 1)));
        return new RecentSignals(List.copyOf(next));
    }
}
