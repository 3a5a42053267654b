package trading.execution;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.util.Set;

/**
 * order-execution's choices from configuration, checked once at start: a wrong broker name or a
 * limit that is not a positive number stops the service with a message saying which property.
 */
@ApplicationScoped
public class ExecutionSettings {

    public static final String FIX = "fix";
    private static final Set<String> BROKERS = Set.of(PaperBroker.NAME, FIX);

    private final String broker;
    private final RiskLimits riskLimits;

    public ExecutionSettings(@ConfigProperty(name = "execution.broker", defaultValue = "paper") String broker,
                             @ConfigProperty(name = "risk.max-order-quantity") String maxOrderQuantity,
                             @ConfigProperty(name = "risk.max-order-notional") String maxOrderNotional,
                             @ConfigProperty(name = "risk.max-position") String maxPosition) {
        if (!BROKERS.contains(broker)) {
            throw new IllegalArgumentException("execution.broker must be 'paper' or 'fix', was '" + broker + "'");
        }
        this.broker = broker;
        this.riskLimits = new RiskLimits(number("risk.max-order-quantity", maxOrderQuantity),
                number("risk.max-order-notional", maxOrderNotional), number("risk.max-position", maxPosition));
    }

    public String broker() {
        return broker;
    }

    public boolean fix() {
        return FIX.equals(broker);
    }

    public RiskLimits riskLimits() {
        return riskLimits;
    }

    private static BigDecimal number(String name, String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + text + "'");
        }
    }
}
