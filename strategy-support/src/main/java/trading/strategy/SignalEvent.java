package trading.strategy;

import java.math.BigDecimal;
import java.util.Map;

/** A signal a rule gave, with what it saw, kept in the ticker's recent history. */
public record SignalEvent(Signal signal, BigDecimal price, String source, long sequence, long eventTimeMillis,
                          String orderId, Map<String, BigDecimal> indicators) {
}
