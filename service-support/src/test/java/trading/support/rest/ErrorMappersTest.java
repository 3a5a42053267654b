package trading.support.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import trading.support.Unavailable;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorMappersTest {

    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void unavailableStateIs503WithRetryAfter() {
        Response response = mappers.unavailable(new Unavailable("store ticker-state-store is restoring"));
        assertEquals(503, response.getStatus());
        assertEquals(String.valueOf(ErrorMappers.RETRY_AFTER_SECONDS), String.valueOf(response.getHeaderString("Retry-After")));
        assertEquals(Map.of("status", 503, "error", "store ticker-state-store is restoring"), response.getEntity());
    }

    @Test
    void anUnknownThingIs404WithTheMessage() {
        Response response = mappers.webApplication(new NotFoundException("strategy abc has seen no price of ticker 'X'"));
        assertEquals(404, response.getStatus());
        assertEquals(Map.of("status", 404, "error", "strategy abc has seen no price of ticker 'X'"), response.getEntity());
    }

    @Test
    void aBadRequestIs400WithTheMessage() {
        Response response = mappers.webApplication(new BadRequestException("limit must be between 1 and 10000, was 0"));
        assertEquals(400, response.getStatus());
        assertEquals("limit must be between 1 and 10000, was 0", ((Map<?, ?>) response.getEntity()).get("error"));
    }

    @Test
    void noLoginIs401WithABasicChallengeAndAMessage() {
        for (RuntimeException e : new RuntimeException[] {new UnauthorizedException(),
                new AuthenticationFailedException("wrong user name or password")}) {
            Response response = mappers.unauthorized(e);
            assertEquals(401, response.getStatus());
            assertEquals("Basic realm=\"trading\", charset=\"UTF-8\"", response.getHeaderString("WWW-Authenticate"));
            Object error = ((Map<?, ?>) response.getEntity()).get("error");
            assertEquals(e instanceof UnauthorizedException ? "log in: this endpoint needs a user name and password (HTTP Basic)"
                    : "wrong user name or password", error);
        }
    }

    @Test
    void aMissingRoleIs403WithAMessage() {
        Response response = mappers.forbidden(new ForbiddenException());
        assertEquals(403, response.getStatus());
        assertEquals("your user does not have the role this endpoint needs", ((Map<?, ?>) response.getEntity()).get("error"));
        assertEquals("local=true is for peers", ((Map<?, ?>) mappers.forbidden(new ForbiddenException("local=true is for peers"))
                .getEntity()).get("error"));
    }
}
