package trading.strategy.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.PriceChecks;
import trading.schema.Topics;
import trading.schema.kafka.DeadLetters;
import trading.strategy.RecentSignals;
import trading.strategy.StrategyDefinition;

import java.time.Clock;

/**
 * The topology of a strategy service: {@code prices} → decode (bad records to
 * {@code prices.dlq}) → per-ticker state in {@link #STATE_STORE} (and signal history in
 * {@link #SIGNALS_STORE}) → {@code orders}.
 */
public final class StrategyTopology {

    /** Per ticker: a {@link trading.strategy.TickerState}. Its changelog is {@code <application id>-ticker-state-store-changelog}. */
    public static final String STATE_STORE = "ticker-state-store";
    /** Per ticker: its {@link RecentSignals}, written only when a signal fires. */
    public static final String SIGNALS_STORE = "ticker-signals-store";

    private StrategyTopology() {
    }

    public static <I> Topology build(StrategyDefinition<I> strategy, Serde<Price> priceSerde, Serde<Order> orderSerde,
                                     Clock clock, MeterRegistry meters, Tracer tracer) {
        return build(strategy, Processing.IDEMPOTENT, priceSerde, orderSerde, clock, meters, tracer);
    }

    public static <I> Topology build(StrategyDefinition<I> strategy, Processing processing, Serde<Price> priceSerde,
                                     Serde<Order> orderSerde, Clock clock, MeterRegistry meters, Tracer tracer) {
        return build(strategy, processing, priceSerde, orderSerde, clock, meters, tracer, Topics.PRICES, Topics.ORDERS,
                Topics.PRICES_DLQ);
    }

    /** The same topology on other topics: what {@code ./pipeline bench} measures on a preloaded topic of its own. */
    public static <I> Topology build(StrategyDefinition<I> strategy, Processing processing, Serde<Price> priceSerde,
                                     Serde<Order> orderSerde, Clock clock, MeterRegistry meters, Tracer tracer,
                                     String pricesTopic, String ordersTopic,
                                     String deadLetterTopic) {
        StrategyMetrics metrics = new StrategyMetrics(strategy.name(), meters);
        CommitRounds commitRounds = new CommitRounds(CommitRounds.AT_MOST_EVERY);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(),
                TickerStateCodec.serde(strategy.rule()))
                // a ticker updated many times between two commits goes to the changelog once
                .withCachingEnabled());

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SIGNALS_STORE),
                Serdes.String(), RecentSignalsCodec.serde()).withCachingEnabled());

        var raw = builder.stream(pricesTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("prices"));
        DeadLetters.decode(raw, priceSerde.deserializer(), PriceChecks::problem, deadLetterTopic)
                .process(() -> new StrategyProcessor<>(strategy, processing, clock, metrics, tracer, commitRounds), Named.as("strategy"), STATE_STORE, SIGNALS_STORE)
                .to(ordersTopic, Produced.with(Serdes.String(), orderSerde).withName("orders"));
        return builder.build();
    }
}
