package trading.strategy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders a ticker's latest prices decided, newest first: what lets a price that is delivered
 * again, after its ticker's state already counts it, send its order again instead of nothing.
 * Under at-least-once processing ({@code strategy.processing=idempotent}) a ticker's state can
 * reach the broker while the order it decided did not; the re-delivered price finds its decision
 * here and the same order (same id) goes out again, which order-execution takes once.
 *
 * <p>It keeps at least the {@link #KEPT} newest; the live processor asks to keep more while
 * orders it sent are not yet acknowledged (see {@code StrategyProcessor}), so a decision is
 * dropped only once its order is known to be on the topic.
 */
public record RecentDecisions(List<Decision> newestFirst) {

    /** Decisions kept once their orders are acknowledged. */
    public static final int KEPT = 8;

    private static final RecentDecisions NONE = new RecentDecisions(List.of());

    /** One order decided on one price: its order id is derived again from the strategy, ticker, source and sequence. */
    public record Decision(Signal signal, BigDecimal price, String source, long sequence, long eventTimeMillis) {
    }

    @JsonCreator
    public RecentDecisions {
        newestFirst = newestFirst == null ? List.of() : List.copyOf(newestFirst);
    }

    public static RecentDecisions none() {
        return NONE;
    }

    @JsonValue
    @Override
    public List<Decision> newestFirst() {
        return newestFirst;
    }

    public int size() {
        return newestFirst.size();
    }

    /** With {@code decision} first, keeping the {@code keep} newest (never fewer than {@link #KEPT}). */
    public RecentDecisions with(Decision decision, int keep) {
        int size = Math.min(newestFirst.size() + 1, Math.max(KEPT, keep));
        List<Decision> next = new ArrayList<>(size);
        next.add(decision);
        next.addAll(newestFirst.subList(0, size - 1));
        return new RecentDecisions(next);
    }

    /** The decision taken on the price {@code sequence} of {@code source}, or null if none is kept. */
    public Decision find(String source, long sequence) {
        for (Decision decision : newestFirst) {
            if (decision.sequence() == sequence && decision.source().equals(source)) {
                return decision;
            }
        }
        return null;
    }
}
