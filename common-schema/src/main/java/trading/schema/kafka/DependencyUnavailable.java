package trading.schema.kafka;

import com.microsoft.kiota.ApiException;
import io.vertx.core.http.HttpClosedException;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Something the record needs did not answer: the schema registry, a broker, a peer. Unlike bad
 * data, this passes. Whoever meets it waits and tries the same record again, keeping its position
 * (nothing is committed past the record), and never dead-letters it.
 */
public class DependencyUnavailable extends RuntimeException {

    private final String dependency;

    public DependencyUnavailable(String dependency, String message, Throwable cause) {
        super(dependency + " unavailable: " + message, cause);
        this.dependency = dependency;
    }

    /** What did not answer, e.g. {@code schema registry}. */
    public String dependency() {
        return dependency;
    }

    /** This exception if {@code error} is or wraps one. */
    public static Optional<DependencyUnavailable> in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DependencyUnavailable unavailable) {
                return Optional.of(unavailable);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code error}, from a call to a remote service, says that the service did not answer
     * (refused, reset, closed without an answer, timed out, overloaded or failing with a 5xx) rather than that it refused
     * what it was given (a 4xx: an unknown schema id, an invalid request).
     */
    public static boolean isUnanswered(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // HttpClosedException: the registry's HTTP client saw the connection close before an
            // answer (a registry killed mid-request); it is not an IOException
            if (cause instanceof DependencyUnavailable || cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof HttpClosedException) {
                return true;
            }
            if (cause instanceof ApiException api) {
                int status = api.getResponseStatusCode();
                return status >= 500 || status == 408 || status == 429;
            }
        }
        return false;
    }
}
