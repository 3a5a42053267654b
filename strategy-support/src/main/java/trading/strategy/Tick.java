package trading.strategy;

import java.math.BigDecimal;

/**
 * One price as the strategies see it, whatever carried it (a Kafka record or a line of a file).
 * {@code source} and {@code sequence} identify it.
 */
public record Tick(String ticker, BigDecimal price, String source, long sequence, long eventTimeMillis) {
}
