package trading.feed;

/**
 * How fast a replay goes: {@code original} keeps the file's time gaps, a number N runs N times
 * faster, {@code max} publishes as fast as the broker takes it.
 */
public record ReplaySpeed(double factor) {

    public static final ReplaySpeed MAX = new ReplaySpeed(Double.POSITIVE_INFINITY);

    public static ReplaySpeed parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase();
        switch (value) {
            case "original":
                return new ReplaySpeed(1);
            case "max":
                return MAX;
            default:
                try {
                    double factor = Double.parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) : value);
                    if (factor > 0 && Double.isFinite(factor)) {
                        return new ReplaySpeed(factor);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException("speed must be original, max or a positive number (times faster), was '" + text + "'");
        }
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    /** Nanoseconds after the start at which a price {@code fileMillis} after the file's first is due. */
    public long dueNanos(long fileMillis) {
        return isMax() ? 0 : (long) (fileMillis * 1_000_000L / factor);
    }

    @Override
    public String toString() {
        return isMax() ? "max" : factor == 1 ? "original" : factor + "x";
    }
}
