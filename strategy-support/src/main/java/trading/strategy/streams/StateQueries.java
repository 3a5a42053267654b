package trading.strategy.streams;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import trading.schema.Topics;
import trading.strategy.RecentSignals;
import trading.strategy.StrategyDefinition;
import trading.strategy.TickerState;
import trading.support.KafkaConnection;
import trading.support.Unavailable;
import trading.support.peers.Assignment;
import trading.support.peers.PeerClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads {@link StrategyTopology#STATE_STORE} wherever the key lives: from the local store when this
 * instance owns the ticker, otherwise by asking the owner over HTTP (Kafka Streams metadata plus
 * each instance's {@code application.server}).
 */
@ApplicationScoped
@Startup // ready before the first query, not built during it
public class StateQueries {

    private static final Logger LOG = Logger.getLogger(StateQueries.class);

    private final KafkaStreams streams;
    private final StrategyDefinition<?> strategy;
    private final HostInfo self;
    private final Duration storeWait;
    private final PeerClient peers;
    private final Assignment assignment;

    public StateQueries(KafkaStreams streams, StrategyDefinition<?> strategy, PeerClient peers,
                        @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer,
                        @ConfigProperty(name = "strategy.query.store-wait", defaultValue = "PT3S") Duration storeWait,
                        KafkaConnection kafka) {
        this.streams = streams;
        this.assignment = Assignment.of(streams, Topics.PRICES, kafka);
        this.strategy = strategy;
        this.peers = peers;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.storeWait = storeWait;
    }

    public HostInfo self() {
        return self;
    }

    /**
     * The ticker's state and who answered, empty when no instance has seen the ticker. When the
     * owner does not answer (it died, and the group has not noticed yet) and this instance keeps
     * a standby copy of the ticker's partition, the copy answers, marked stale with how many
     * changelog records it is behind: an answer within a second of a crash instead of a 503 for
     * the session timeout.
     */
    public Optional<Answer> find(String ticker, boolean localOnly) {
        KeyQueryMetadata metadata = metadata(ticker);
        HostInfo owner = metadata.activeHost();
        if (localOnly || owner.equals(self)) {
            TickerState<?> state = waitFor(() -> Optional.ofNullable(localStore().get(ticker)), "store")
                    .orElse(null);
            return Optional.ofNullable(state).map(s -> new Answer(s, self));
        }
        try {
            return forward(owner, ticker);
        } catch (Unavailable ownerSilent) {
            if (!metadata.standbyHosts().contains(self)) {
                throw ownerSilent;
            }
            return fromStandby(ticker, metadata.partition(), ownerSilent);
        }
    }

    private Optional<Answer> fromStandby(String ticker, int partition, Unavailable ownerSilent) {
        TickerState<?> state;
        long lag;
        try {
            state = streams.store(StoreQueryParameters.fromNameAndType(StrategyTopology.STATE_STORE,
                    QueryableStoreTypes.<String, TickerState<?>>keyValueStore()).enableStaleStores().withPartition(partition)).get(ticker);
            var lags = streams.allLocalStorePartitionLags().getOrDefault(StrategyTopology.STATE_STORE, Map.of());
            lag = lags.containsKey(partition) ? lags.get(partition).offsetLag() : -1;
        } catch (RuntimeException e) {
            LOG.debugf("no standby answer for %s: %s", ticker, e.getMessage());
            throw ownerSilent;
        }
        LOG.debugf("owner of %s does not answer (%s); answered from the standby copy, %d records behind",
                ticker, ownerSilent.getMessage(), lag);
        return Optional.ofNullable(state).map(s -> new Answer(s, self, true, lag));
    }

    /** The ticker's recent signals, newest first, from whichever instance owns it (empty when none). */
    public RecentSignals signals(String ticker, boolean localOnly) {
        HostInfo owner = owner(ticker);
        if (localOnly || owner.equals(self)) {
            return waitFor(() -> Optional.ofNullable(streams.store(StoreQueryParameters.fromNameAndType(
                    StrategyTopology.SIGNALS_STORE, QueryableStoreTypes.<String, RecentSignals>keyValueStore())).get(ticker)),
                    "signals store").orElse(RecentSignals.none());
        }
        return peers.<RecentSignals>get(owner, "/state/" + encode(ticker) + "/signals?local=true",
                peers.typeOf(RecentSignals.class)).orElse(RecentSignals.none());
    }

    private HostInfo owner(String ticker) {
        return metadata(ticker).activeHost();
    }

    private KeyQueryMetadata metadata(String ticker) {
        return waitFor(() -> {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(StrategyTopology.STATE_STORE, ticker,
                    Serdes.String().serializer());
            return metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) ? null : metadata;
        }, "metadata for " + ticker);
    }

    private static String encode(String ticker) {
        return URLEncoder.encode(ticker, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Every ticker of every instance, sorted by ticker, or {@link Unavailable}: never a list that
     * silently misses a partition. Each instance is asked for exactly the partitions of
     * {@code prices} the group's assignment gives it, and answers only when it can read all of
     * them ({@link #local}); while some partition has no owner (a rebalance) there is no answer.
     * An instance that does not answer is stood in for by this instance's standby copies of its
     * partitions, marked stale, when it keeps a copy of each; otherwise there is no answer.
     */
    public List<Answer> all() {
        Map<HostInfo, Set<Integer>> owners = waitFor(assignment::ownersOfEveryPartition,
                "an owner for every partition of " + Topics.PRICES);
        TreeMap<String, Answer> byTicker = new TreeMap<>();
        for (TickerState<?> state : local(owners.getOrDefault(self, Set.of()))) {
            byTicker.put(state.ticker(), new Answer(state, self));
        }
        List<HostInfo> others = owners.keySet().stream().filter(host -> !host.equals(self)).toList();
        List<PeerClient.Reply<List<TickerState<?>>>> replies = peers.getEach(others,
                host -> "/state?local=true&" + Assignment.PARAMETER + "=" + Assignment.format(owners.get(host)),
                peers.listOf(peers.parametric(TickerState.class, strategy.rule().indicatorType())));
        for (int i = 0; i < others.size(); i++) {
            PeerClient.Reply<List<TickerState<?>>> reply = replies.get(i);
            List<Answer> answers = reply.answered()
                    ? answersOf(reply.answer().orElse(List.of()), others.get(i))
                    : fromStandbys(owners.get(others.get(i)), reply.failure());
            answers.forEach(answer -> byTicker.putIfAbsent(answer.state().ticker(), answer));
        }
        return new ArrayList<>(byTicker.values());
    }

    /**
     * The tickers of the given partitions of {@code prices} (this instance's own assignment when
     * null), read from this instance's active stores; {@link Unavailable} unless every one of those
     * partitions can be read (one still restoring, or already handed to another instance).
     */
    public List<TickerState<?>> local(Set<Integer> partitions) {
        Set<Integer> wanted = partitions != null ? partitions : waitFor(() -> assignment.ownedBy(self), "this instance's assignment");
        return waitFor(() -> {
            List<TickerState<?>> states = new ArrayList<>();
            for (int partition : wanted) {
                try (KeyValueIterator<String, ? extends TickerState<?>> it = streams.store(StoreQueryParameters.fromNameAndType(
                        StrategyTopology.STATE_STORE, QueryableStoreTypes.<String, TickerState<?>>keyValueStore())
                        .withPartition(partition)).all()) {
                    it.forEachRemaining(kv -> states.add(kv.value));
                }
            }
            states.sort(Comparator.comparing(TickerState::ticker));
            return states;
        }, "store");
    }

    private List<Answer> fromStandbys(Set<Integer> partitions, Unavailable ownerSilent) {
        Set<Integer> copies = assignment.standbysOf(self);
        Map<Integer, org.apache.kafka.streams.LagInfo> lags = streams.allLocalStorePartitionLags()
                .getOrDefault(StrategyTopology.STATE_STORE, Map.of());
        List<Answer> answers = new ArrayList<>();
        for (int partition : partitions) {
            if (!copies.contains(partition)) {
                throw ownerSilent;
            }
            long lag = lags.containsKey(partition) ? lags.get(partition).offsetLag() : -1;
            try (KeyValueIterator<String, ? extends TickerState<?>> it = streams.store(StoreQueryParameters.fromNameAndType(
                    StrategyTopology.STATE_STORE, QueryableStoreTypes.<String, TickerState<?>>keyValueStore())
                    .enableStaleStores().withPartition(partition)).all()) {
                it.forEachRemaining(kv -> answers.add(new Answer(kv.value, self, true, lag)));
            } catch (InvalidStateStoreException e) {
                LOG.debugf("no standby answer for partition %d: %s", partition, e.getMessage());
                throw ownerSilent;
            }
        }
        return answers;
    }

    private static List<Answer> answersOf(List<TickerState<?>> states, HostInfo instance) {
        return states.stream().map(state -> new Answer(state, instance)).toList();
    }

    private ReadOnlyKeyValueStore<String, TickerState<?>> localStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(StrategyTopology.STATE_STORE,
                QueryableStoreTypes.<String, TickerState<?>>keyValueStore()));
    }

    private Optional<Answer> forward(HostInfo owner, String ticker) {
        return peers.<TickerState<?>>get(owner, "/state/" + encode(ticker) + "?local=true",
                        peers.parametric(TickerState.class, strategy.rule().indicatorType()))
                .map(state -> new Answer(state, owner));
    }

    /**
     * Retries while the store is migrating or restoring, for at most the configured wait, then
     * gives up with {@link Unavailable} (HTTP 503), never hangs.
     */
    private <T> T waitFor(java.util.function.Supplier<T> query, String what) {
        long deadline = System.nanoTime() + storeWait.toNanos();
        String lastProblem = "not yet queried";
        while (true) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
                try {
                    T result = query.get();
                    if (result != null) {
                        return result;
                    }
                    lastProblem = what + " not available";
                } catch (InvalidStateStoreException e) {
                    lastProblem = e.getMessage();
                }
            } else {
                lastProblem = "Kafka Streams is " + state;
            }
            if (System.nanoTime() > deadline) {
                LOG.debugf("giving up on %s: %s", what, lastProblem);
                throw new Unavailable(what + " is not available yet: " + lastProblem);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * A ticker's state and the instance ({@code host:port}) whose store holds it.
     *
     * @param stale          answered from a standby copy because the owner did not answer
     * @param staleByRecords how many changelog records the copy is behind (-1: unknown), when stale
     */
    public record Answer(TickerState<?> state, HostInfo answeredBy, boolean stale, long staleByRecords) {
        public Answer(TickerState<?> state, HostInfo answeredBy) {
            this(state, answeredBy, false, 0);
        }
    }

}
