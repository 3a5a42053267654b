package trading.strategy.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import trading.schema.Decimals;
import trading.schema.Order;
import trading.schema.Price;
import trading.schema.state.CompactReader;
import trading.schema.state.CompactWriter;
import trading.strategy.Position;
import trading.strategy.RecentSignals;
import trading.strategy.Signal;
import trading.strategy.SignalRule;
import trading.strategy.StrategyDefinition;
import trading.strategy.TickerState;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the processor asks Kafka Streams for a commit, in each mode (what decides the cost of a quiet stream). */
class StrategyProcessorCommitsTest {

    /** BUY above 10 while flat, SELL below 10 while long. */
    private static final class AroundTen implements SignalRule<String> {
        @Override
        public String name() {
            return "around-ten";
        }

        @Override
        public Class<String> indicatorType() {
            return String.class;
        }

        @Override
        public String initial() {
            return "";
        }

        @Override
        public Evaluation<String> evaluate(String indicators, BigDecimal price, Position position) {
            int side = price.compareTo(BigDecimal.TEN);
            Signal signal = side > 0 && position == Position.FLAT ? Signal.BUY
                    : side < 0 && position == Position.LONG ? Signal.SELL : null;
            return new Evaluation<>(indicators, signal);
        }

        @Override
        public void writeIndicators(String indicators, CompactWriter out) {
        }

        @Override
        public String readIndicators(int format, CompactReader in) {
            return "";
        }

        @Override
        public Map<String, BigDecimal> values(String indicators) {
            return Map.of();
        }
    }

    private final AroundTen rule = new AroundTen();
    private final MockProcessorContext<String, Order> context = new MockProcessorContext<>();
    private long sequence;

    private StrategyProcessor<String> start(Processing processing) {
        KeyValueStore<String, TickerState<String>> states = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StrategyTopology.STATE_STORE), Serdes.String(), TickerStateCodec.serde(rule))
                .withLoggingDisabled().build();
        KeyValueStore<String, RecentSignals> signals = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StrategyTopology.SIGNALS_STORE), Serdes.String(), RecentSignalsCodec.serde())
                .withLoggingDisabled().build();
        states.init(context.getStateStoreContext(), states);
        signals.init(context.getStateStoreContext(), signals);
        context.addStateStore(states);
        context.addStateStore(signals);
        StrategyProcessor<String> processor = new StrategyProcessor<>(new StrategyDefinition<>(rule, BigDecimal.ONE),
                processing, Clock.systemUTC(), new StrategyMetrics("test", new SimpleMeterRegistry()),
                OpenTelemetry.noop().getTracer("test"), new CommitRounds(CommitRounds.AT_MOST_EVERY));
        processor.init(context);
        return processor;
    }

    private void price(StrategyProcessor<String> processor, String value) {
        sequence++;
        Price price = Price.newBuilder().setTicker("AAPL").setPrice(Decimals.toWire(new BigDecimal(value)))
                .setSize(Decimals.toWire(BigDecimal.ONE)).setEventTime(Instant.ofEpochMilli(sequence))
                .setSequence(sequence).setSource("test").setPublishTime(Instant.ofEpochMilli(sequence)).build();
        processor.process(new Record<>("AAPL", price, sequence));
    }

    @Test
    void transactionalAsksForNoCommitItsTimerCommits() {
        StrategyProcessor<String> processor = start(Processing.TRANSACTIONAL);
        context.setCurrentSystemTimeMs(1_000);
        price(processor, "9");
        price(processor, "11");
        price(processor, "9");
        assertEquals(2, context.forwarded().size(), "a BUY and a SELL");
        assertFalse(context.committed());
        assertTrue(context.scheduledPunctuators().isEmpty());
    }

    @Test
    void idempotentOrdersAskForACommitAtMostOnceASecondAndPricesAloneNever() {
        StrategyProcessor<String> processor = start(Processing.IDEMPOTENT);
        assertTrue(context.scheduledPunctuators().isEmpty(), "no timer: a commit is asked for while processing");
        context.setCurrentSystemTimeMs(5_000);
        price(processor, "9");
        assertFalse(context.committed());
        price(processor, "11");
        assertTrue(context.committed(), "the first order begins a round");
        context.resetCommit();
        for (long now = 5_000; now < 6_000; now += 100) {
            context.setCurrentSystemTimeMs(now);
            price(processor, now % 200 == 0 ? "9" : "11");
        }
        assertFalse(context.committed(), "within the second");
        context.setCurrentSystemTimeMs(6_000);
        price(processor, "11");
        assertTrue(context.committed(), "a second later, with orders not yet known acknowledged");
    }
}
