package trading.support.rest;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rule for names in URLs, as endpoints see it: through the validator and the error mapper. */
class IdentifierTest {

    private static final ValidatorFactory FACTORY = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
    private final Validator validator = FACTORY.getValidator();

    /** Stands for an endpoint: a required path parameter and an optional filter. */
    static class Endpoint {
        public String orders(@Identifier String ticker, @Identifier String strategy) {
            return ticker + strategy;
        }
    }

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    private Set<ConstraintViolation<Endpoint>> call(String ticker, String strategy) throws NoSuchMethodException {
        Method orders = Endpoint.class.getMethod("orders", String.class, String.class);
        return validator.forExecutables().validateParameters(new Endpoint(), orders, new Object[] {ticker, strategy});
    }

    @Test
    void tickersAndGeneratedIdsPassAndAnAbsentFilterIsNotChecked() throws Exception {
        assertEquals(Set.of(), call("BRK.B", null));
        assertEquals(Set.of(), call("abc:AAPL:feed-0:12345", "abc_slow"));
        assertEquals(Set.of(), call("x".repeat(64), "abc"));
    }

    @Test
    void aBadNameIsA400NamingTheParameterTheRuleAndTheValue() throws Exception {
        Set<ConstraintViolation<Endpoint>> violations = call("a b", "x".repeat(65));
        assertEquals(2, violations.size());
        Response response = new ErrorMappers().invalidParameter(new ConstraintViolationException(violations));
        assertEquals(400, response.getStatus());
        assertEquals("strategy must be 1 to 64 letters, digits or . _ : -, was '" + "x".repeat(65) + "'; "
                + "ticker must be 1 to 64 letters, digits or . _ : -, was 'a b'",
                ((Map<?, ?>) response.getEntity()).get("error"));
        assertEquals(1, call("", "abc").size(), "empty is not a name");
        assertEquals(1, call("AAPL/../x", "abc").size(), "nothing a URL must escape");
    }

    @Test
    void textThatIsNotAParameterFollowsTheSameRule() {
        assertTrue(Identifiers.matches("abc:AAPL:feed-0:7"));
        assertFalse(Identifiers.matches(null));
        assertFalse(Identifiers.matches("x".repeat(65)));
        BadRequestException e = assertThrows(BadRequestException.class, () -> Identifiers.check("before's order id", "a;b"));
        assertEquals("before's order id must be 1 to 64 letters, digits or . _ : -, was 'a;b'", e.getMessage());
    }
}
