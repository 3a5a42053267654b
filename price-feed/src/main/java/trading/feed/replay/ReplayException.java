package trading.feed.replay;

/** A replay file that cannot be used at all (missing, unreadable, no header): said in one sentence. */
public class ReplayException extends RuntimeException {
    public ReplayException(String message) {
        super(message);
    }
}
