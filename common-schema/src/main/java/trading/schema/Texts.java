package trading.schema;

/** Text from outside (a request, a file, a FIX field) quoted in an error message. */
public final class Texts {

    private Texts() {
    }

    /**
     * {@code text} as it is when at most {@code max} characters, else its first {@code max} and
     * "…": a message that quotes what it refuses stays one short line whatever was sent.
     */
    public static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
