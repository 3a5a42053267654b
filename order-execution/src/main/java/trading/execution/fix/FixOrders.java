package trading.execution.fix;

import quickfix.field.ClOrdID;
import quickfix.field.HandlInst;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderStatusRequest;
import trading.fix.FixValues;
import trading.schema.Order;
import trading.schema.OrderType;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The pipeline's orders as FIX 4.4 messages; the order id is the ClOrdID. */
public final class FixOrders {

    private FixOrders() {
    }

    /** @param traceparent the W3C traceparent of the sending span (null: none) */
    public static NewOrderSingle newOrder(Order order, String traceparent) {
        boolean limit = order.getOrderType() == OrderType.LIMIT && order.getLimitPrice() != null;
        NewOrderSingle message = new NewOrderSingle(new ClOrdID(order.getOrderId()), side(order),
                new TransactTime(LocalDateTime.now(ZoneOffset.UTC)), new OrdType(limit ? OrdType.LIMIT : OrdType.MARKET));
        message.set(new Symbol(order.getTicker()));
        message.set(new HandlInst(HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION));
        FixValues.setDecimal(message, OrderQty.FIELD, order.getQuantity());
        if (limit) {
            FixValues.setDecimal(message, Price.FIELD, order.getLimitPrice());
        }
        if (traceparent != null) {
            message.setString(FixValues.TRACEPARENT_TAG, traceparent);
        }
        return message;
    }

    public static OrderStatusRequest statusRequest(Order order) {
        return statusRequest(order.getOrderId(), side(order).getValue(), order.getTicker());
    }

    public static OrderStatusRequest statusRequest(String orderId, char side, String symbol) {
        OrderStatusRequest request = new OrderStatusRequest(new ClOrdID(orderId), new Side(side));
        request.set(new Symbol(symbol));
        return request;
    }

    private static Side side(Order order) {
        return new Side(order.getSide() == trading.schema.Side.SELL ? Side.SELL : Side.BUY);
    }
}
