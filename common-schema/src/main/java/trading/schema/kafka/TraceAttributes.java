package trading.schema.kafka;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes every service puts on its spans, so that one search finds an order's whole trace. */
public final class TraceAttributes {

    public static final AttributeKey<String> TICKER = AttributeKey.stringKey("trading.ticker");
    public static final AttributeKey<String> STRATEGY = AttributeKey.stringKey("trading.strategy");
    public static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("trading.order_id");
    public static final AttributeKey<String> SIDE = AttributeKey.stringKey("trading.side");
    public static final AttributeKey<Long> PRICE_SEQUENCE = AttributeKey.longKey("trading.price_sequence");
    /** The order id as the FIX session carries it (tag 11); the pipeline's order id. */
    public static final AttributeKey<String> CL_ORD_ID = AttributeKey.stringKey("fix.cl_ord_id");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("trading.status");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("trading.reason");
    public static final AttributeKey<String> BROKER = AttributeKey.stringKey("trading.broker");

    private TraceAttributes() {
    }
}
