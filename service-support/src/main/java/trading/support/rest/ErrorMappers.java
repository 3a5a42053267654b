package trading.support.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import trading.support.Unavailable;

import java.util.Map;

/**
 * HTTP errors as JSON with a message: 4xx for what the caller got wrong, 503 with
 * {@code Retry-After} while state is not queryable.
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

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", String.valueOf(e.getMessage())))
                .build();
    }
}
