package trading.schema;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Order ids are derived, never random: the same strategy deciding on the same price (ticker,
 * source, sequence) yields the same id, so a reprocessed price can be recognised downstream.
 */
public final class OrderIds {

    private OrderIds() {
    }

    public static String derive(String strategy, String ticker, String priceSource, long priceSequence) {
        String identity = strategy + '\u0000' + ticker + '\u0000' + priceSource + '\u0000' + priceSequence;
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
