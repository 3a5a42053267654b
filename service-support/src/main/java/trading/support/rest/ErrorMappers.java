package trading.support.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import trading.support.Unavailable;

import java.util.Map;

/**
 * HTTP errors as JSON with a message: 4xx for what the caller got wrong, 503 with
 * {@code Retry-After} while state is not queryable, 401 (with a Basic challenge) for a caller who
 * has not logged in or whose credentials are wrong, 403 for one whose roles do not allow it.
 */
public class ErrorMappers {

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

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", String.valueOf(e.getMessage())))
                .build();
    }
}
