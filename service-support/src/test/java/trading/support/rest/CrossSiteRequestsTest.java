package trading.support.rest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossSiteRequestsTest {

    @Test
    void aPageOfAnotherSiteCannotPost() {
        String why = CrossSiteRequests.refusal("POST", "https://evil.example", "localhost:8083", List.of());
        assertNotNull(why);
        assertTrue(why.startsWith("cross-site request refused: origin https://evil.example"), why);
        assertNotNull(CrossSiteRequests.refusal("POST", "null", "localhost:8083", List.of()), "a sandboxed page");
        assertNotNull(CrossSiteRequests.refusal("POST", "http://localhost:8090", "localhost:8083", List.of()), "another port is another site");
        assertNotNull(CrossSiteRequests.refusal("DELETE", "http://localhost.evil.example:8083", "localhost:8083", List.of()));
        assertNotNull(CrossSiteRequests.refusal("POST", "http://[::1", "localhost:8083", List.of()), "a malformed origin");
    }

    @Test
    void theServicesOwnPageCurlAndListedSitesMayPost() {
        assertNull(CrossSiteRequests.refusal("POST", "http://localhost:8090", "localhost:8090", List.of()));
        assertNull(CrossSiteRequests.refusal("POST", "https://trading.example.com", "trading.example.com", List.of()), "default port");
        assertNull(CrossSiteRequests.refusal("POST", null, "localhost:8083", List.of()), "no Origin: not a browser's cross-site request");
        assertNull(CrossSiteRequests.refusal("POST", "https://ops.example.com", "localhost:8083", List.of("https://ops.example.com")));
    }

    @Test
    void readsAreNotRefused() {
        assertNull(CrossSiteRequests.refusal("GET", "https://evil.example", "localhost:8083", List.of()));
        assertNull(CrossSiteRequests.refusal("OPTIONS", "https://evil.example", "localhost:8083", List.of()));
    }
}
