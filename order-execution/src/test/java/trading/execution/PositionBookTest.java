package trading.execution;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PositionBookTest {

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, d(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void buysAverageTheirPrices() {
        PositionBook book = PositionBook.empty("abc", "AAPL")
                .fill(true, d("100"), d("10"))
                .fill(true, d("300"), d("14"));
        assertAmount("400", book.quantity());
        assertAmount("13", book.averagePrice());
        assertAmount("0", book.realizedPnl());
    }

    @Test
    void aSaleRealisesAgainstTheAverageAndKeepsItForWhatRemains() {
        PositionBook book = PositionBook.empty("abc", "AAPL")
                .fill(true, d("100"), d("10"))
                .fill(true, d("100"), d("12"))
                .fill(false, d("50"), d("15"));
        assertAmount("150", book.quantity());
        assertAmount("11", book.averagePrice());
        assertAmount("200", book.realizedPnl()); // (15 - 11) * 50
    }

    @Test
    void closingOutLeavesAFlatBookWithTheRealisedPnl() {
        PositionBook book = PositionBook.empty("xyz", "MSFT")
                .fill(true, d("100"), d("20.50"))
                .fill(false, d("100"), d("19.25"));
        assertAmount("0", book.quantity());
        assertAmount("0", book.averagePrice());
        assertAmount("-125", book.realizedPnl());
        assertAmount("0", book.unrealizedPnl(d("30")));
    }

    @Test
    void sellingThroughZeroOpensAShortAtTheFillPrice() {
        PositionBook book = PositionBook.empty("abc", "AAPL")
                .fill(true, d("100"), d("10"))
                .fill(false, d("150"), d("12"));
        assertAmount("-50", book.quantity());
        assertAmount("12", book.averagePrice());
        assertAmount("200", book.realizedPnl());
        assertAmount("100", book.unrealizedPnl(d("10"))); // short 50 from 12, marked at 10
        PositionBook covered = book.fill(true, d("50"), d("11"));
        assertAmount("0", covered.quantity());
        assertAmount("250", covered.realizedPnl());
    }

    @Test
    void unrealisedIsMarkedToThePriceGiven() {
        PositionBook book = PositionBook.empty("abc", "AAPL").fill(true, d("100"), d("10"));
        assertAmount("150", book.unrealizedPnl(d("11.5")));
        assertAmount("0", book.unrealizedPnl(null));
    }

    @Test
    void workingQuantitiesAreHeldUntilDoneAndNeverGoNegative() {
        PositionBook book = PositionBook.empty("abc", "AAPL").working(true, d("100")).working(false, d("30"));
        assertAmount("100", book.worstLong());
        assertAmount("-30", book.worstShort());
        PositionBook partly = book.fill(true, d("40"), d("10")).done(true, d("40"));
        assertAmount("40", partly.quantity());
        assertAmount("60", partly.pendingBuy());
        assertAmount("100", partly.worstLong());
        assertAmount("0", partly.done(true, d("80")).pendingBuy());
        assertAmount("30", partly.pendingSell());
    }

    @Test
    void shortSalesRealisePnlWhenCovered() {
        PositionBook book = PositionBook.empty("xyz", "MSFT")
                .fill(false, d("100"), d("50"))
                .fill(false, d("100"), d("52"))
                .fill(true, d("150"), d("49"));
        assertAmount("-50", book.quantity());
        assertAmount("51", book.averagePrice());
        assertAmount("300", book.realizedPnl()); // (51 - 49) * 150
    }
}
