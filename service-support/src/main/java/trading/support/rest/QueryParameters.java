package trading.support.rest;

import jakarta.ws.rs.BadRequestException;
import trading.schema.Texts;

/**
 * Query parameters read as text and checked here, so that a malformed value is a 400 that says
 * what was wrong: JAX-RS answers 404 when it cannot convert a query parameter to a number.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * {@code text} as a whole number from 1 to {@code max}, or {@code absent} when not given.
     *
     * @throws BadRequestException naming the parameter, the range and what was sent
     */
    public static int limit(String name, String text, int absent, int max) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        // ASCII digits only: Integer.parseInt would also take other scripts' digits
        String digits = text.strip();
        int value = digits.matches("[0-9]{1,9}") ? Integer.parseInt(digits) : -1;
        if (value < 1 || value > max) {
            throw new BadRequestException(name + " must be a whole number from 1 to " + max + ", was '" + Texts.clip(text, 40) + "'");
        }
        return value;
    }
}
