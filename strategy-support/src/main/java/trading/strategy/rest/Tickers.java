package trading.strategy.rest;

import jakarta.ws.rs.BadRequestException;

import java.util.regex.Pattern;

/** What a ticker in a URL may look like. */
final class Tickers {

    private static final Pattern TICKER = Pattern.compile("[A-Za-z0-9._:-]{1,32}");

    private Tickers() {
    }

    static void check(String ticker) {
        if (ticker == null || !TICKER.matcher(ticker).matches()) {
            throw new BadRequestException("ticker must be 1 to 32 letters, digits or . _ : -, was '" + ticker + "'");
        }
    }
}
