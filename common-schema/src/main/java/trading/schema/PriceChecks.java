package trading.schema;


/** What makes a decoded price usable; the strategies send anything else to {@link Topics#PRICES_DLQ}. */
public final class PriceChecks {

    private PriceChecks() {
    }

    /** The problem with this record, or null when it is fine. */
    public static String problem(String key, Price price) {
        if (price.getTicker() == null || price.getTicker().isBlank()) {
            return "ticker is empty";
        }
        if (!price.getTicker().equals(key)) {
            // The key decides the partition, and so which task holds the ticker's state.
            return "key '" + key + "' is not the ticker '" + price.getTicker() + "'";
        }
        if (price.getPrice() == null || price.getPrice().signum() <= 0) {
            return "price must be positive, was " + price.getPrice();
        }
        if (price.getSize() == null || price.getSize().signum() < 0) {
            return "size must not be negative, was " + price.getSize();
        }
        if (price.getSequence() <= 0) {
            return "sequence must be positive, was " + price.getSequence();
        }
        if (price.getSource() == null || price.getSource().isBlank()) {
            return "source is empty";
        }
        return null;
    }

}
