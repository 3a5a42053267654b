package trading.execution;

import java.math.BigDecimal;

/**
 * A ticker's last reference price seen on any order, what open positions are marked to.
 * Order-execution does not read the whole price stream; the orders carry the price that made them.
 */
public record Mark(BigDecimal price, long decisionTimeMicros) {
}
