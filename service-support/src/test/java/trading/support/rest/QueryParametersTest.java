package trading.support.rest;

import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryParametersTest {

    @Test
    void aLimitIsAWholeNumberInRangeOrTheDefault() {
        assertEquals(200, QueryParameters.limit("limit", null, 200, 10_000));
        assertEquals(200, QueryParameters.limit("limit", "", 200, 10_000));
        assertEquals(5, QueryParameters.limit("limit", "5", 200, 10_000));
        assertEquals(10_000, QueryParameters.limit("limit", "10000", 200, 10_000));
    }

    @Test
    void anythingElseIsA400ThatQuotesIt() {
        for (String bad : new String[]{"abc", "0", "-1", "10001", "1.5", "99999999999", "1e3", "٣"}) {
            BadRequestException refused = assertThrows(BadRequestException.class, () -> QueryParameters.limit("limit", bad, 200, 10_000), bad);
            assertEquals("limit must be a whole number from 1 to 10000, was '" + bad + "'", refused.getMessage());
        }
    }
}
