package trading.support.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import trading.schema.Texts;
import trading.schema.kafka.DependencyUnavailable;
import trading.support.Unavailable;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * HTTP errors as JSON with a message: 4xx for what the caller got wrong, 503 with
 * {@code Retry-After} while state is not queryable, 401 (with a Basic challenge) for a caller who
 * has not logged in or whose credentials are wrong, 403 for one whose roles do not allow it.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    /** Seconds a client should wait before asking again while a store is unavailable. */
    public static final int RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response unavailable(Unavailable e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 503, "error", e.getMessage()))
                .build();
    }

    /** A dependency (the registry, a broker) did not answer: not now, and the answer says which. */
    @ServerExceptionMapper
    public Response dependencyUnavailable(DependencyUnavailable e) {
        return unavailable(new Unavailable(e.getMessage()));
    }

    /**
     * Kafka Streams refuses queries while it is not running (created, shutting down, in error):
     * {@link InvalidStateStoreException} (not started, a store in transition) or an
     * {@link IllegalStateException} from {@link KafkaStreams} itself. Both mean "not now", so 503;
     * any other {@code IllegalStateException} is a fault of ours, logged, and a 500.
     */
    @ServerExceptionMapper({InvalidStateStoreException.class, IllegalStateException.class})
    public Response streamsNotRunning(RuntimeException e) {
        if (e instanceof InvalidStateStoreException || thrownByKafkaStreams(e)) {
            return unavailable(new Unavailable("Kafka Streams cannot answer now: " + e.getMessage()));
        }
        LOG.error("internal error answering a request", e);
        return Response.serverError()
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 500, "error", "internal error: " + e.getMessage()))
                .build();
    }

    private static boolean thrownByKafkaStreams(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().equals(KafkaStreams.class.getName());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        String why = e instanceof AuthenticationFailedException && e.getMessage() != null
                ? e.getMessage() : "log in: this endpoint needs a user name and password (HTTP Basic)";
        return Response.status(Response.Status.UNAUTHORIZED)
                .header("WWW-Authenticate", "Basic realm=\"trading\", charset=\"UTF-8\"")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 401, "error", why))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        String why = e.getMessage() != null ? e.getMessage() : "your user does not have the role this endpoint needs";
        return Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 403, "error", why))
                .build();
    }

    /**
     * A parameter that breaks its constraint ({@link Identifier}): 400, naming each parameter, what it
     * must be and what was sent. A violation on what a method returns would be our fault: 500.
     */
    @ServerExceptionMapper
    public Response invalidParameter(ConstraintViolationException e) {
        boolean ours = e.getConstraintViolations().stream().anyMatch(violation -> lastNode(violation).getKind() == ElementKind.RETURN_VALUE);
        if (ours) {
            LOG.error("an answer broke its own constraint", e);
            return Response.serverError().type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 500, "error", "internal error: " + e.getMessage())).build();
        }
        String why = e.getConstraintViolations().stream()
                .map(violation -> lastNode(violation).getName() + " " + violation.getMessage()
                        + ", was '" + Texts.clip(String.valueOf(violation.getInvalidValue()), 80) + "'")
                .sorted()
                .collect(Collectors.joining("; "));
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 400, "error", why)).build();
    }

    private static Path.Node lastNode(ConstraintViolation<?> violation) {
        Path.Node last = null;
        for (Path.Node node : violation.getPropertyPath()) {
            last = node;
        }
        return last;
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", String.valueOf(e.getMessage())))
                .build();
    }
}
