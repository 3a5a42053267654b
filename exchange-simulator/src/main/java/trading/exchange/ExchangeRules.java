package trading.exchange;

import java.time.Duration;

/**
 * How the simulated exchange treats orders.
 *
 * @param fillParts    each order is filled in this many parts (1: one fill; 3: two partial fills and a last one)
 * @param rejectRate   share of orders rejected, chosen by a hash of the ClOrdID so that a rerun rejects the same ones
 * @param fillDelay    how long an accepted order waits before it is filled (zero: at once)
 */
public record ExchangeRules(int fillParts, double rejectRate, Duration fillDelay) {

    public ExchangeRules {
        if (fillParts < 1 || fillParts > 100) {
            throw new IllegalArgumentException("fill parts must be between 1 and 100, was " + fillParts);
        }
        if (rejectRate < 0 || rejectRate > 1) {
            throw new IllegalArgumentException("reject rate must be between 0 and 1, was " + rejectRate);
        }
        if (fillDelay.isNegative()) {
            throw new IllegalArgumentException("fill delay must not be negative, was " + fillDelay);
        }
    }

    public static ExchangeRules immediateFullFills() {
        return new ExchangeRules(1, 0, Duration.ZERO);
    }

    /** Whether this order id falls in the rejected share: a stable hash mapped to [0, 1). */
    boolean rejects(String clOrdId) {
        if (rejectRate == 0) {
            return false;
        }
        // an MD5-based UUID spreads similar ids evenly, unlike String.hashCode
        long bits = java.util.UUID.nameUUIDFromBytes(clOrdId.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .getMostSignificantBits() >>> 16; // the top 48 bits: hash only, no version bits
        return bits / (double) (1L << 48) < rejectRate;
    }
}
