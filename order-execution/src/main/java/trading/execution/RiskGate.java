package trading.execution;

import trading.schema.Decimals;
import trading.schema.Order;
import trading.schema.Side;

import java.math.BigDecimal;

/**
 * The limits every valid order must pass before it may leave for a broker. An order exactly at a
 * limit passes; one past it is rejected with the limit and the value in the reason.
 */
public final class RiskGate {

    private RiskGate() {
    }

    /**
     * What breaks a limit, or null when the order may go. {@code book} is the strategy's book in
     * the ticker (with its working orders); the order has passed {@link OrderChecks}.
     */
    public static String problem(Order order, PositionBook book, RiskLimits limits) {
        BigDecimal quantity = order.getQuantity();
        if (quantity.compareTo(limits.maxOrderQuantity()) > 0) {
            return "order quantity " + plain(quantity) + " is above the limit of " + plain(limits.maxOrderQuantity());
        }
        BigDecimal notional = quantity.multiply(order.getReferencePrice());
        if (notional.compareTo(limits.maxOrderNotional()) > 0) {
            return "order notional " + plain(notional) + " is above the limit of " + plain(limits.maxOrderNotional());
        }
        BigDecimal worst = order.getSide() == Side.BUY ? book.worstLong().add(quantity)
                : book.worstShort().subtract(quantity);
        if (worst.abs().compareTo(limits.maxPosition()) > 0) {
            return "position of " + order.getStrategy() + " in " + order.getTicker() + " would reach "
                    + plain(worst) + " (held " + plain(book.quantity()) + ", working buys " + plain(book.pendingBuy())
                    + ", sells " + plain(book.pendingSell()) + "), past the limit of " + plain(limits.maxPosition());
        }
        return null;
    }

    private static String plain(BigDecimal amount) {
        return Decimals.forDisplay(amount).toPlainString();
    }
}
