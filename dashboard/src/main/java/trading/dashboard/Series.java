package trading.dashboard;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A chart line the dashboard keeps: points ({@code [time, value...]}) appended as they come, the
 * oldest dropped beyond a capacity. A page asks for what came after the points it already has.
 */
final class Series {

    private final int capacity;
    private final ArrayDeque<double[]> points = new ArrayDeque<>();
    private long count;

    Series(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(double... point) {
        points.addLast(point);
        count++;
        if (points.size() > capacity) {
            points.removeFirst();
        }
    }

    synchronized double[] last() {
        return points.peekLast();
    }

    /** The points after the first {@code since} ever added (those still kept), oldest first. */
    synchronized PriceHistory.Points since(long since) {
        int skip = (int) Math.max(0, since - (count - points.size()));
        double[][] out = new double[Math.max(0, points.size() - skip)][];
        Iterator<double[]> it = points.iterator();
        for (int i = 0; i < skip; i++) {
            it.next();
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = it.next();
        }
        return new PriceHistory.Points(out, count);
    }
}
