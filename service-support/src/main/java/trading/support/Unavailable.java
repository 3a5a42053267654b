package trading.support;

/**
 * What a service cannot answer right now but will soon (a store that is rebalancing or restoring,
 * another instance that does not answer): HTTP 503 with {@code Retry-After}.
 */
public class Unavailable extends RuntimeException {
    public Unavailable(String message) {
        super(message);
    }
}
