package trading.support.rest;

import jakarta.ws.rs.BadRequestException;
import trading.schema.Texts;

import java.util.regex.Pattern;

/**
 * The rule behind {@link Identifier}, for names that do not arrive as a parameter of their own: a
 * WebSocket message, the order id inside a paging cursor.
 */
public final class Identifiers {

    /** Letters, digits and the separators tickers and generated ids use; nothing a URL must escape. */
    public static final String REGEX = "[A-Za-z0-9._:-]{1,64}";
    public static final String RULE = "1 to 64 letters, digits or . _ : -";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private Identifiers() {
    }

    public static boolean matches(String text) {
        return text != null && PATTERN.matcher(text).matches();
    }

    /** @throws BadRequestException naming {@code what}, the rule and what was sent */
    public static void check(String what, String text) {
        if (!matches(text)) {
            throw new BadRequestException(what + " must be " + RULE + ", was '" + Texts.clip(String.valueOf(text), 80) + "'");
        }
    }
}
