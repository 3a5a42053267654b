package trading.strategy;

/** What a long-or-flat strategy holds in one ticker. */
public enum Position {
    FLAT,
    LONG
}
