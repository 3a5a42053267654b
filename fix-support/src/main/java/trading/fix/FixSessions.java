package trading.fix;

import quickfix.FileLogFactory;
import quickfix.FileStoreFactory;
import quickfix.LogFactory;
import quickfix.MessageStoreFactory;
import quickfix.SessionID;
import quickfix.SessionSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * FIX 4.4 session settings for both ends of the pipeline's broker link. Both keep their messages
 * and sequence numbers in files ({@link FileStoreFactory}) and never reset them on logon, logout
 * or disconnect: after a restart a session resumes where it stopped, and a message the other side
 * missed is resent on its resend request instead of being lost.
 */
public final class FixSessions {

    public static final String BEGIN_STRING = "FIX.4.4";

    private FixSessions() {
    }

    /** The gateway's side: connects to the exchange and reconnects on its own after a drop. */
    public static SessionSettings initiator(String senderCompId, String targetCompId, String host, int port,
                                            Path dataDir, Duration heartbeat, Duration reconnect) {
        SessionSettings settings = common(dataDir, heartbeat);
        SessionID session = new SessionID(BEGIN_STRING, senderCompId, targetCompId);
        settings.setString(session, "ConnectionType", "initiator");
        settings.setString(session, "SocketConnectHost", host);
        settings.setLong(session, "SocketConnectPort", port);
        settings.setLong(session, "ReconnectInterval", Math.max(1, reconnect.toSeconds()));
        settings.setLong(session, "HeartBtInt", Math.max(1, heartbeat.toSeconds()));
        return settings;
    }

    /** The session ID template of an acceptor that takes any initiator ({@code TargetCompID=*}). */
    public static SessionID acceptorTemplate(String senderCompId) {
        return new SessionID(BEGIN_STRING, senderCompId, "*");
    }

    /** The exchange's side: accepts a session from any initiator that logs on to {@code senderCompId}. */
    public static SessionSettings acceptor(String senderCompId, String host, int port, Path dataDir, Duration heartbeat) {
        SessionSettings settings = common(dataDir, heartbeat);
        SessionID template = acceptorTemplate(senderCompId);
        settings.setString(template, "ConnectionType", "acceptor");
        settings.setString(template, "AcceptorTemplate", "Y");
        settings.setString(template, "SocketAcceptAddress", host);
        settings.setLong(template, "SocketAcceptPort", port);
        return settings;
    }

    public static MessageStoreFactory storeFactory(SessionSettings settings) {
        return new FileStoreFactory(settings);
    }

    public static LogFactory logFactory(SessionSettings settings) {
        return new FileLogFactory(settings);
    }

    private static SessionSettings common(Path dataDir, Duration heartbeat) {
        SessionSettings settings = new SessionSettings();
        settings.setString("BeginString", BEGIN_STRING);
        settings.setString("FileStorePath", dataDir.resolve("store").toString());
        settings.setString("FileLogPath", dataDir.resolve("log").toString());
        settings.setString("NonStopSession", "Y");
        settings.setString("UseDataDictionary", "Y");
        settings.setString("DataDictionary", "FIX44.xml");
        // the dictionary is checked, but user-defined tags (FixValues.TRACEPARENT_TAG) are let through
        settings.setString("ValidateUserDefinedFields", "N");
        settings.setString("ResetOnLogon", "N");
        settings.setString("ResetOnLogout", "N");
        settings.setString("ResetOnDisconnect", "N");
        settings.setString("PersistMessages", "Y");
        // a session may resume after hours of downtime: sequence numbers, not clock skew, decide
        settings.setString("CheckLatency", "N");
        settings.setLong("HeartBtInt", Math.max(1, heartbeat.toSeconds()));
        return settings;
    }
}
