package trading.strategy.streams;

import trading.schema.Decimals;
import trading.schema.Order;
import trading.schema.OrderType;
import trading.schema.Side;
import trading.strategy.Signal;
import trading.strategy.SignalEvent;

import java.math.BigDecimal;
import java.time.Instant;

/** Turns a strategy's signal into the order it sends. */
public final class Orders {

    private Orders() {
    }

    public static Order of(String strategy, String ticker, SignalEvent signal, BigDecimal quantity,
                           Instant pricePublishTime, Instant decisionTime) {
        return Order.newBuilder()
                .setOrderId(signal.orderId())
                .setStrategy(strategy)
                .setTicker(ticker)
                .setSide(signal.signal() == Signal.BUY ? Side.BUY : Side.SELL)
                .setQuantity(Decimals.toWire(quantity))
                .setOrderType(OrderType.MARKET)
                .setLimitPrice(null)
                .setReferencePrice(Decimals.toWire(signal.price()))
                .setPriceSource(signal.source())
                .setPriceSequence(signal.sequence())
                .setPriceEventTime(Instant.ofEpochMilli(signal.eventTimeMillis()))
                .setPricePublishTime(pricePublishTime)
                .setDecisionTime(decisionTime)
                .build();
    }
}
