package trading.strategy;

/** What a rule asks for on one price. */
public enum Signal {
    BUY,
    SELL
}
