package trading.support.rest;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * A name an endpoint is given (a ticker, a strategy, an order id, a ClOrdID): {@value Identifiers#RULE}.
 * One rule for every service; a parameter that breaks it is a 400 that names the parameter and the
 * value ({@link ErrorMappers#invalidParameter}). An absent optional parameter (null) is not checked.
 */
@Pattern(regexp = Identifiers.REGEX)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({PARAMETER, FIELD})
@Retention(RUNTIME)
@Documented
public @interface Identifier {

    String message() default "must be " + Identifiers.RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
