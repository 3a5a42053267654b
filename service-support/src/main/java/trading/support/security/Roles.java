package trading.support.security;

/** The roles the services check. */
public final class Roles {

    /** May halt and resume trading (the kill switch). */
    public static final String RISK = "risk";
    /** Another instance of the same service, proven by the service's shared secret. */
    public static final String PEER = "peer";

    private Roles() {
    }
}
