package trading.execution;

import java.math.BigDecimal;

/**
 * The risk gate's limits, from configuration ({@code risk.*}).
 *
 * @param maxOrderQuantity largest quantity of one order
 * @param maxOrderNotional largest quantity × reference price of one order
 * @param maxPosition      largest absolute position of one strategy in one ticker, counting
 *                         orders still working at the broker as if they filled
 */
public record RiskLimits(BigDecimal maxOrderQuantity, BigDecimal maxOrderNotional, BigDecimal maxPosition) {

    public RiskLimits {
        requirePositive("risk.max-order-quantity", maxOrderQuantity);
        requirePositive("risk.max-order-notional", maxOrderNotional);
        requirePositive("risk.max-position", maxPosition);
    }

    private static void requirePositive(String name, BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number, was " + value);
        }
    }
}
