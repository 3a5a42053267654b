package trading.execution;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * One strategy's position in one ticker, built from fills: signed quantity (negative is short),
 * average entry price of what is open, and P&amp;L realised by closing. Fills that add to the
 * position move the average; fills that reduce it realise (price - average) per unit closed.
 *
 * <p>It also holds what is still working at the broker ({@code pendingBuy}, {@code pendingSell}):
 * the risk gate counts an order against the position limit from the moment it is sent, not from
 * its fill, or a burst of orders could pass the limit before any of them fills.
 */
public record PositionBook(String strategy, String ticker, BigDecimal quantity, BigDecimal averagePrice,
                           BigDecimal realizedPnl, BigDecimal lastFillPrice, BigDecimal pendingBuy,
                           BigDecimal pendingSell) {

    private static final MathContext MATH = MathContext.DECIMAL128;

    public static PositionBook empty(String strategy, String ticker) {
        return new PositionBook(strategy, ticker, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null,
                BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** The book after a fill of {@code fillQuantity} (positive) at {@code price}, buying or selling. */
    public PositionBook fill(boolean buy, BigDecimal fillQuantity, BigDecimal price) {
        BigDecimal signed = buy ? fillQuantity : fillQuantity.negate();
        BigDecimal next = quantity.add(signed);
        if (quantity.signum() == 0 || quantity.signum() == signed.signum()) {
            // opening or adding: weighted average of what is held and what came in
            BigDecimal cost = averagePrice.multiply(quantity.abs()).add(price.multiply(fillQuantity));
            return new PositionBook(strategy, ticker, next, cost.divide(next.abs(), MATH), realizedPnl, price,
                    pendingBuy, pendingSell);
        }
        BigDecimal closed = fillQuantity.min(quantity.abs());
        BigDecimal pnlPerUnit = quantity.signum() > 0 ? price.subtract(averagePrice) : averagePrice.subtract(price);
        BigDecimal realized = realizedPnl.add(pnlPerUnit.multiply(closed));
        BigDecimal average = next.signum() == 0 ? BigDecimal.ZERO
                : next.signum() == quantity.signum() ? averagePrice
                : price; // crossed through zero: what remains was opened at this price
        return new PositionBook(strategy, ticker, next, average, realized, price, pendingBuy, pendingSell);
    }

    /** An order of {@code orderQuantity} went to the broker and is working. */
    public PositionBook working(boolean buy, BigDecimal orderQuantity) {
        return new PositionBook(strategy, ticker, quantity, averagePrice, realizedPnl, lastFillPrice,
                buy ? pendingBuy.add(orderQuantity) : pendingBuy, buy ? pendingSell : pendingSell.add(orderQuantity));
    }

    /** {@code doneQuantity} of a working order is no longer working (filled, or rejected). */
    public PositionBook done(boolean buy, BigDecimal doneQuantity) {
        return new PositionBook(strategy, ticker, quantity, averagePrice, realizedPnl, lastFillPrice,
                buy ? floorZero(pendingBuy.subtract(doneQuantity)) : pendingBuy,
                buy ? pendingSell : floorZero(pendingSell.subtract(doneQuantity)));
    }

    /** The longest the position can get if every working buy fills. */
    public BigDecimal worstLong() {
        return quantity.add(pendingBuy);
    }

    /** The shortest the position can get if every working sell fills (negative when short). */
    public BigDecimal worstShort() {
        return quantity.subtract(pendingSell);
    }

    /** P&amp;L of what is open, marked to {@code mark} (zero when flat or never priced). */
    public BigDecimal unrealizedPnl(BigDecimal mark) {
        if (mark == null || quantity.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return mark.subtract(averagePrice).multiply(quantity);
    }

    /** The store key: one book per strategy and ticker. */
    public static String key(String strategy, String ticker) {
        return strategy + '|' + ticker;
    }

    private static BigDecimal floorZero(BigDecimal amount) {
        return amount.signum() < 0 ? BigDecimal.ZERO : amount;
    }
}
