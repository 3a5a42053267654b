package trading.launcher.stack;

/** Something the user can act on went wrong; the launcher prints the message, not a stack trace. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
