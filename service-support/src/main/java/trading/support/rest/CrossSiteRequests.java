package trading.support.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import trading.schema.Texts;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a request that changes something (any method but GET, HEAD and OPTIONS) when a browser
 * sends it from another site: a page elsewhere must not be able to halt trading with a login the
 * browser remembers. Browsers name the page's origin in {@code Origin} on such requests; it must be
 * this service's own (its {@code Host}) or one of {@code pipeline.http.allowed-origins}. Requests
 * without {@code Origin} (curl, the services, the launcher) are not browsers' cross-site requests
 * and pass; the endpoints that change trading also take only JSON, which a cross-site form cannot send.
 */
public class CrossSiteRequests {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final List<String> allowed;

    public CrossSiteRequests(@ConfigProperty(name = "pipeline.http.allowed-origins") Optional<List<String>> allowed) {
        this.allowed = allowed.orElse(List.of());
    }

    @ServerRequestFilter(preMatching = true)
    public Response refuseCrossSite(ContainerRequestContext request) {
        String why = refusal(request.getMethod(), request.getHeaderString("Origin"), request.getHeaderString(HttpHeaders.HOST), allowed);
        if (why == null) {
            return null;
        }
        return Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 403, "error", why))
                .build();
    }

    /** Why the request is refused, or null when it may go on. */
    static String refusal(String method, String origin, String host, List<String> allowed) {
        if (SAFE.contains(method.toUpperCase(Locale.ROOT)) || origin == null || allowed.contains(origin)) {
            return null;
        }
        if (host != null && sameHost(origin, host)) {
            return null;
        }
        return "cross-site request refused: origin " + Texts.clip(origin, 80) + " is not this service ("
                + Texts.clip(String.valueOf(host), 80) + "); pipeline.http.allowed-origins lists the sites that may send it";
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI page = URI.create(origin);
            if (page.getHost() == null || !(("http".equals(page.getScheme())) || "https".equals(page.getScheme()))) {
                return false; // "null" (a sandboxed page or a file) and other schemes
            }
            int pagePort = page.getPort() != -1 ? page.getPort() : "https".equals(page.getScheme()) ? 443 : 80;
            URI self = URI.create(page.getScheme() + "://" + host);
            int selfPort = self.getPort() != -1 ? self.getPort() : "https".equals(page.getScheme()) ? 443 : 80;
            return page.getHost().equalsIgnoreCase(self.getHost()) && pagePort == selfPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
