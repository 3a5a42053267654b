package trading.dashboard;

/**
 * One ticker's most recent prices for its chart, in a fixed ring: time (the price's event time),
 * price and sequence. Prices are doubles here because they are only drawn; the exact decimals stay
 * on the wire and in the services. One writer (the Kafka reader), any number of readers.
 */
final class PriceHistory {

    /** Points kept per ticker: a few minutes at the simulated market's usual rates. */
    static final int CAPACITY = 600;

    private final long[] times = new long[CAPACITY];
    private final double[] prices = new double[CAPACITY];
    private final long[] sequences = new long[CAPACITY];
    /** Points ever added; point i (0-based) sits at i % CAPACITY while i >= count - CAPACITY. */
    private long count;
    private double first = Double.NaN;

    synchronized void add(long timeMillis, double price, long sequence) {
        int slot = (int) (count % CAPACITY);
        times[slot] = timeMillis;
        prices[slot] = price;
        sequences[slot] = sequence;
        count++;
        if (Double.isNaN(first)) {
            first = price;
        }
    }

    synchronized long count() {
        return count;
    }

    synchronized double last() {
        return count == 0 ? Double.NaN : prices[(int) ((count - 1) % CAPACITY)];
    }

    /** The first price this dashboard saw, for the change column. */
    synchronized double first() {
        return first;
    }

    /**
     * Points added after the first {@code since} ones (at most the newest {@code max}), as
     * {@code [time, price]} pairs, oldest first; {@code next} is what to pass as {@code since} next time.
     */
    synchronized Points since(long since, int max) {
        long from = Math.max(Math.max(since, count - CAPACITY), count - max);
        int n = (int) Math.max(0, count - from);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            int slot = (int) ((from + i) % CAPACITY);
            points[i] = new double[]{times[slot], prices[slot]};
        }
        return new Points(points, count);
    }

    /** The event time of the newest point with this sequence, or -1 if it is no longer (or not yet) here. */
    synchronized long timeOf(long sequence) {
        for (long i = count - 1; i >= Math.max(0, count - CAPACITY); i--) {
            int slot = (int) (i % CAPACITY);
            if (sequences[slot] == sequence) {
                return times[slot];
            }
        }
        return -1;
    }

    record Points(double[][] points, long next) {
    }
}
