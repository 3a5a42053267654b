package trading.strategy.streams;

import java.time.Duration;

/**
 * The commits the tasks of one stream thread ask for, in idempotent processing: at most one per
 * {@link #AT_MOST_EVERY}, whichever task asks, so that a thread's commits do not multiply with its
 * tasks.
 *
 * <p>Why it is shared: a commit asked for by one task commits every task of its thread that has
 * something to commit, and flushes the thread's producer (Kafka Streams 4.1,
 * {@code TaskManager.maybeCommitActiveTasksPerUserRequested}). When each of twelve tasks asked on its
 * own 250 ms timer, their phases differed and abc committed 10.5 times a second instead of once
 * (156 changelog records a second from a cache meant to write each ticker once per commit).
 *
 * <p>A round begins with a commit request, made from {@code process} (so the asking task has
 * processed a record and the request is not ignored as "nothing to commit"). Kafka Streams runs it
 * at the end of the same pass of its loop, before the next round can begin a second later (a pass
 * processes records for at most about half the commit interval, and the commit interval of
 * idempotent processing is a second too). So what was sent before round {@code r} began went out
 * with its commit, and is acknowledged once round {@code r + 1} has begun.
 *
 * <p>The tasks of one thread share the rounds; tasks of other threads (other producers, other
 * commits) have their own, hence one per thread.
 */
public final class CommitRounds {

    /** The least time between two commits asked for by the tasks of one thread. */
    public static final Duration AT_MOST_EVERY = Duration.ofSeconds(1);

    private final long atMostEveryMillis;
    private final ThreadLocal<Round> perThread = ThreadLocal.withInitial(Round::new);

    /** @param atMostEvery the least time between two commits asked for by the tasks of one thread */
    CommitRounds(Duration atMostEvery) {
        this.atMostEveryMillis = atMostEvery.toMillis();
    }

    private static final class Round {
        long number;
        long beganAtMillis = Long.MIN_VALUE;
    }

    /** The current round of the calling stream thread. */
    long current() {
        return perThread.get().number;
    }

    /**
     * Begins the next round if the current one has lasted long enough; the caller, a task
     * processing a record, then asks for the commit that begins it.
     *
     * @param nowMillis the thread's wall-clock time
     * @return whether a round began (and a commit must be asked for)
     */
    boolean beginNext(long nowMillis) {
        Round round = perThread.get();
        if (round.beganAtMillis != Long.MIN_VALUE && nowMillis - round.beganAtMillis < atMostEveryMillis) {
            return false;
        }
        round.number++;
        round.beganAtMillis = nowMillis;
        return true;
    }
}
