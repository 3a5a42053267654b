package trading.execution.fix;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.IncorrectTagValue;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketInitiator;
import quickfix.field.BusinessRejectRefID;
import quickfix.field.ClOrdID;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.OrdStatus;
import quickfix.field.RefSeqNum;
import quickfix.field.Text;
import quickfix.fix44.ExecutionReport;
import trading.execution.ExecutionSettings;
import trading.fix.FixSessions;
import trading.fix.FixValues;
import trading.schema.BrokerEvent;
import trading.schema.BrokerEventType;
import trading.schema.Order;
import trading.schema.Topics;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;
import trading.schema.kafka.DependencyUnavailable;
import trading.schema.kafka.RegistrySerdes;
import trading.support.KafkaConnection;
import trading.support.RegistryConnection;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The FIX broker ({@code execution.broker=fix}): takes the orders that passed the risk gate from
 * the outbox ({@code broker.orders}), sends each to the exchange once over a FIX 4.4 session, and
 * publishes what happens ({@code broker.events}) for the topology to apply.
 *
 * <p>At most once at the broker, even across a crash:
 * <ol>
 * <li>an order reaches the outbox only after its intent (NEW) is committed in the Streams store;</li>
 * <li>a SENT event is written (acks=all) before the order leaves, and the outbox offset is
 * committed after it left;</li>
 * <li>after a restart or a rebalance, every outbox record below the partition's end at assignment
 * may have been sent by the previous owner: for those the gateway asks the exchange (order status
 * request, ClOrdID = order id) and sends only when the exchange has never seen the id;</li>
 * <li>a report is published to Kafka before QuickFIX/J counts the message as received, so a report
 * lost in a crash is asked for again on the next logon (both sides keep messages and sequence
 * numbers in file stores).</li>
 * </ol>
 * An order sent while the session dropped is asked about after the next logon and sent again only
 * if the exchange never got it, at most {@code execution.fix.max-attempts} times, then rejected.
 */
@ApplicationScoped
public class FixGateway {

    private static final Logger LOG = Logger.getLogger(FixGateway.class);
    public static final String GROUP = "order-execution.fix-gateway";

    @ConfigProperty(name = "execution.fix.host", defaultValue = "localhost")
    String host;
    @ConfigProperty(name = "execution.fix.port", defaultValue = "9876")
    int port;
    @ConfigProperty(name = "execution.fix.sender-comp-id", defaultValue = "PIPELINE")
    String senderCompId;
    @ConfigProperty(name = "execution.fix.target-comp-id", defaultValue = "EXCHANGE")
    String targetCompId;
    @ConfigProperty(name = "execution.fix.heartbeat", defaultValue = "PT5S")
    Duration heartbeat;
    @ConfigProperty(name = "execution.fix.reconnect", defaultValue = "PT1S")
    Duration reconnect;
    @ConfigProperty(name = "execution.fix.data-dir", defaultValue = "target/fix")
    Path dataDir;
    @ConfigProperty(name = "execution.fix.status-timeout", defaultValue = "PT15S")
    Duration statusTimeout;
    @ConfigProperty(name = "execution.fix.max-attempts", defaultValue = "3")
    int maxAttempts;
    @jakarta.inject.Inject
    KafkaConnection kafka;
    @jakarta.inject.Inject
    RegistryConnection registry;
    @jakarta.inject.Inject
    Tracer tracer;

    private final ExecutionSettings settings;
    private final GatewayStats stats = new GatewayStats();
    private final Map<String, CompletableFuture<Boolean>> statusAnswers = new ConcurrentHashMap<>();
    /** Sent, with no answer yet: asked about after a reconnect. Value: the order and its attempts. */
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<Integer, String> sentSequenceNumbers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> inDoubtBelow = new ConcurrentHashMap<>();
    /**
     * Orders to ask about again: a report that could not be read or published (Kafka unavailable).
     * Made at start, when the status timeout (the longest wait between two asks) is known.
     */
    private StatusRechecks recheck;
    /** How soon an order is asked about again at the earliest, however often it is re-armed. */
    private static final Duration RECHECK_INTERVAL = Duration.ofSeconds(1);
    /** How often every open order is asked about at most, for reports the session rejected unidentified. */
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
    /** Orders the exchange holds and has not finished (accepted, partly filled): how to ask about each. */
    private final Map<String, quickfix.fix44.OrderStatusRequest> working = new ConcurrentHashMap<>();
    /** Sequence numbers of reports the application refused itself: their Reject needs no second look. */
    private final java.util.Set<Integer> refusedHere = ConcurrentHashMap.newKeySet();
    private volatile boolean reconcileOnLogon;
    private volatile boolean running;
    private volatile boolean loopEnded;
    private volatile long lastRound;
    /** What the loop's last round met, or null when it polled the outbox. */
    private volatile String problem;
    /** Longer than a round can take: an exchange's answer is awaited for at most a few seconds. */
    private static final Duration STALLED_AFTER = Duration.ofSeconds(60);
    private SessionID session;
    private ThreadedSocketInitiator initiator;
    private KafkaProducer<String, BrokerEvent> producer;
    private KafkaConsumer<String, Order> consumer;
    private Thread loop;

    private record InFlight(Order order, Context trace, int attempts, long sentNanos) {
    }

    public FixGateway(ExecutionSettings settings) {
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) throws ConfigError {
        if (!settings.fix()) {
            return;
        }
        Map<String, Object> common = kafka.clientProperties();
        String registryUrl = registry.registryUrl();
        Map<String, Object> producerConfig = new HashMap<>(common);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                RegistrySerdes.<BrokerEvent>valueSerde(registryUrl).serializer());
        Map<String, Object> consumerConfig = new HashMap<>(common);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // a killed gateway holds its outbox partitions until this runs out: 10 s, not the default 45 s
        consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                RegistrySerdes.<Order>valueSerde(registryUrl).deserializer());

        Duration longest = statusTimeout.compareTo(SWEEP_EVERY) > 0 ? statusTimeout : SWEEP_EVERY;
        recheck = new StatusRechecks(RECHECK_INTERVAL, longest, SWEEP_EVERY, System::nanoTime);
        SessionSettings sessionSettings = FixSessions.initiator(senderCompId, targetCompId, host, port,
                dataDir, heartbeat, reconnect);
        session = new SessionID(FixSessions.BEGIN_STRING, senderCompId, targetCompId);
        initiator = new ThreadedSocketInitiator(new SessionEvents(), FixSessions.storeFactory(sessionSettings),
                sessionSettings, FixSessions.logFactory(sessionSettings), new DefaultMessageFactory());
        initiator.start();
        running = true;
        loop = new Thread(this::run, "fix-gateway");
        loop.start();
        LOG.infof("FIX gateway: session %s to %s:%d, outbox %s (group %s)", session, host, port,
                Topics.BROKER_ORDERS, GROUP);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        initiator.stop();
        producer.close(Duration.ofSeconds(5));
    }

    public boolean enabled() {
        return running;
    }

    public boolean loggedOn() {
        Session current = Session.lookupSession(session);
        return current != null && current.isLoggedOn();
    }

    public GatewayStats.Snapshot stats() {
        return stats.snapshot(session == null ? null : session.toString(), running && loggedOn(), inFlight.size());
    }

    // ---- the outbox loop -------------------------------------------------------------------

    private void run() {
        consumer.subscribe(List.of(Topics.BROKER_ORDERS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(inDoubtBelow::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // anything up to here may have been sent by whoever had the partition before
                consumer.endOffsets(partitions).forEach(inDoubtBelow::put);
            }
        });
        try {
            while (running) {
                lastRound = System.nanoTime();
                try {
                    round();
                } catch (WakeupException e) {
                    throw e;
                } catch (RecordDeserializationException e) {
                    skipOrWait(e);
                } catch (RuntimeException e) {
                    // a broker away, a coordinator moving: the loop goes on (it used to end here for
                    // good); what was read and not committed is read again and reconciled
                    problem = e.toString();
                    LOG.warnf(e, "FIX gateway round failed; trying again in 1 s");
                    backOff();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException | Error e) {
            problem = "stopped: " + e;
            LOG.errorf(e, "FIX gateway stopped; restart order-execution (readiness is down)");
            throw e;
        } finally {
            loopEnded = true;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** One pass of the loop: wait for the session, reconcile, poll the outbox, hand its orders over. */
    private void round() {
        if (!loggedOn()) {
            problem = "FIX session " + session + " is not logged on; orders wait in the outbox";
            pausedPoll(Duration.ofMillis(200)); // stays in the group while waiting
            return;
        }
        consumer.resume(consumer.paused());
        if (reconcileOnLogon) {
            reconcileOnLogon = false;
            try {
                reconcileInFlight();
            } catch (GatewayException e) {
                // the exchange is slow to answer (busy after a restart): ask again on the next round
                LOG.warnf("reconciling orders in flight: %s; will ask again", e.getMessage());
                reconcileOnLogon = true;
                backOff();
                return;
            }
        }
        int covered = recheck.sweepDue();
        if (covered > 0) {
            int armed = 0;
            for (InFlight pending : inFlight.values()) {
                armed += recheck.arm(pending.order().getOrderId(), FixOrders.statusRequest(pending.order())) ? 1 : 0;
            }
            for (var open : working.entrySet()) {
                armed += recheck.arm(open.getKey(), open.getValue()) ? 1 : 0;
            }
            LOG.warnf("%d execution report(s) rejected by the session since the last sweep: %d open orders asked about anew,"
                    + " %d in all", covered, armed, recheck.size());
        }
        for (var request : recheck.due()) {
            try {
                Session.sendToTarget(request, session); // the answer is published like any report
            } catch (SessionNotFound e) {
                break;
            }
        }
        ConsumerRecords<String, Order> records = consumer.poll(Duration.ofMillis(200));
        problem = null;
        if (records.isEmpty()) {
            return;
        }
        try {
            handle(records);
            consumer.commitSync();
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // the exchange did not answer in time, Kafka refused a write or a commit: the batch
            // is read again, every order in it reconciled rather than resent blindly
            LOG.warnf("outbox batch interrupted (%s); its orders will be reconciled, not resent blindly",
                    e.getMessage());
            rewind(records);
            backOff();
        }
    }

    /**
     * An order of the outbox could not be decoded. When the registry did not answer, the consumer
     * stays on it and reads it again after a pause. Anything else is a record the pipeline itself
     * wrote and cannot read: it is logged with its offset and passed, as it could never be sent.
     */
    private void skipOrWait(RecordDeserializationException e) {
        if (DependencyUnavailable.isUnanswered(e)) {
            problem = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            LOG.warnf("%s; the outbox waits at %s offset %d", problem, e.topicPartition(), e.offset());
            backOff();
            return;
        }
        LOG.errorf(e, "order at %s offset %d of the outbox cannot be decoded; passed over", e.topicPartition(), e.offset());
        consumer.seek(e.topicPartition(), e.offset() + 1);
    }

    /**
     * Why the gateway is not handing orders over, or empty: its loop has ended, has not come round
     * for {@link #STALLED_AFTER}, or is waiting for a dependency.
     */
    public Optional<String> notReady() {
        if (!running) {
            return Optional.empty(); // not in use (paper broker) or shutting down
        }
        if (loopEnded) {
            return Optional.of("FIX gateway loop has ended: " + problem);
        }
        long since = System.nanoTime() - lastRound;
        if (lastRound != 0 && since > STALLED_AFTER.toNanos()) {
            return Optional.of("FIX gateway loop has not come round for " + since / 1_000_000_000L + " s");
        }
        return Optional.ofNullable(problem);
    }

    private void handle(ConsumerRecords<String, Order> records) {
        Map<Order, CompletableFuture<Boolean>> asked = new LinkedHashMap<>();
        for (ConsumerRecord<String, Order> record : records) {
            Order order = record.value();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (record.offset() < inDoubtBelow.getOrDefault(partition, 0L)) {
                asked.put(order, askStatus(order));
            } else {
                send(order, TraceHeaders.extract(record.headers()), 1);
            }
        }
        for (Map.Entry<Order, CompletableFuture<Boolean>> question : asked.entrySet()) {
            Order order = question.getKey();
            if (awaitKnown(order, question.getValue())) {
                stats.reconciled();
                LOG.infof("order %s was already at the exchange: reconciled, not sent again", order.getOrderId());
            } else {
                send(order, Context.root(), 1);
            }
        }
    }

    /** Waits a second without taking records (paused), staying in the group; the loop resumes. */
    private void backOff() {
        pausedPoll(Duration.ofSeconds(1));
    }

    /**
     * Polls without taking records: partitions are paused, and a partition assigned during the
     * poll (not paused yet) is put back to its first returned offset, so nothing read is dropped.
     */
    private void pausedPoll(Duration timeout) {
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, Order> unexpected = consumer.poll(timeout);
        for (TopicPartition partition : unexpected.partitions()) {
            consumer.seek(partition, unexpected.records(partition).get(0).offset());
        }
    }

    /** After a failure mid-batch: read the batch again, all of it in doubt. */
    private void rewind(ConsumerRecords<String, Order> records) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, Order>> inPartition = records.records(partition);
            long first = inPartition.get(0).offset();
            long last = inPartition.get(inPartition.size() - 1).offset();
            inDoubtBelow.merge(partition, last + 1, Math::max);
            OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
            consumer.seek(partition, committed == null ? first : committed.offset());
        }
    }

    /** @param trace the order's trace (from its outbox record's headers): the send is a span of it */
    private void send(Order order, Context trace, int attempt) {
        Span span = tracer.spanBuilder("fix send").setParent(trace).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(TraceAttributes.CL_ORD_ID, order.getOrderId())
                .setAttribute(TraceAttributes.TICKER, order.getTicker())
                .setAttribute(TraceAttributes.STRATEGY, order.getStrategy())
                .setAttribute("fix.attempt", attempt)
                .startSpan();
        try {
            publish(FixReports.sent(order.getOrderId(), order.getTicker(), Instant.now()), span);
            inFlight.put(order.getOrderId(), new InFlight(order, trace, attempt, System.nanoTime()));
            if (!Session.sendToTarget(FixOrders.newOrder(order, TraceHeaders.traceparent(span.getSpanContext())), session)) {
                // stored by QuickFIX/J; after the next logon it is asked about, not blindly resent
                reconcileOnLogon = true;
            }
        } catch (SessionNotFound e) {
            throw new GatewayException("no FIX session " + session);
        } finally {
            span.end();
        }
        stats.sent();
    }

    /** Orders sent without an answer yet, after a reconnect: ask, resend only what never arrived. */
    private void reconcileInFlight() {
        Map<InFlight, CompletableFuture<Boolean>> asked = new LinkedHashMap<>();
        for (InFlight pending : new ArrayList<>(inFlight.values())) {
            asked.put(pending, askStatus(pending.order()));
        }
        for (Map.Entry<InFlight, CompletableFuture<Boolean>> question : asked.entrySet()) {
            InFlight pending = question.getKey();
            if (!awaitKnown(pending.order(), question.getValue())) {
                if (pending.attempts() >= maxAttempts) {
                    inFlight.remove(pending.order().getOrderId());
                    publish(FixReports.rejected(pending.order().getOrderId(), pending.order().getTicker(),
                            "the exchange did not receive the order after " + pending.attempts() + " attempts", Instant.now()));
                    stats.rejected();
                } else {
                    stats.retried();
                    send(pending.order(), pending.trace(), pending.attempts() + 1);
                }
            }
        }
    }

    private CompletableFuture<Boolean> askStatus(Order order) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        statusAnswers.put(order.getOrderId(), answer);
        try {
            Session.sendToTarget(FixOrders.statusRequest(order), session);
        } catch (SessionNotFound e) {
            throw new GatewayException("no FIX session " + session);
        }
        stats.statusRequested();
        return answer;
    }

    /** Whether the exchange knows the order; a missing answer stops the batch (it is read again later). */
    private boolean awaitKnown(Order order, CompletableFuture<Boolean> answer) {
        try {
            return answer.get(statusTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new GatewayException("no status answer for " + order.getOrderId() + " within " + statusTimeout);
        } catch (ExecutionException e) {
            throw new GatewayException("status request for " + order.getOrderId() + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted");
        } finally {
            statusAnswers.remove(order.getOrderId());
        }
    }

    private void publish(BrokerEvent event) {
        publish(event, Span.getInvalid());
    }

    /** Written and acknowledged by Kafka before returning: the caller may then act on it. */
    private void publish(BrokerEvent event, Span span) {
        sendAndWait(producer, new ProducerRecord<>(Topics.BROKER_EVENTS, null, event.getTicker(), event,
                TraceHeaders.with(null, span)), event.getType() + " of " + event.getOrderId(), Duration.ofSeconds(30));
    }

    /**
     * Sends and waits for the acknowledgement; any failure is a {@link GatewayException}, which
     * every caller handles (the batch is read again, the report's order asked about again). That
     * includes what {@code send} throws itself, such as the serializer finding the registry
     * unavailable: thrown on from a QuickFIX/J callback, it would leave the report uncounted and
     * the session waiting for it for ever, every later report queued behind it.
     */
    static <V> void sendAndWait(Producer<String, V> producer, ProducerRecord<String, V> record, String what,
                                Duration timeout) {
        String failed = "could not publish " + what + " to " + record.topic() + ": ";
        try {
            producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new GatewayException(failed + e.getCause());
        } catch (TimeoutException e) {
            throw new GatewayException(failed + "no acknowledgement within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted while publishing");
        } catch (RuntimeException e) {
            throw new GatewayException(failed + e);
        }
    }

    // ---- the FIX session ---------------------------------------------------------------------

    private final class SessionEvents implements Application {

        @Override
        public void onCreate(SessionID sessionId) {
        }

        @Override
        public void onLogon(SessionID sessionId) {
            LOG.infof("FIX session %s logged on", sessionId);
            stats.loggedOn();
            if (!inFlight.isEmpty()) {
                reconcileOnLogon = true;
            }
        }

        @Override
        public void onLogout(SessionID sessionId) {
            LOG.warnf("FIX session %s logged out; orders wait in the outbox until it is back", sessionId);
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
            try {
                if (message.getHeader().getString(MsgType.FIELD).equals(MsgType.REJECT)
                        && message.isSetField(quickfix.field.RefMsgType.FIELD)
                        && message.getString(quickfix.field.RefMsgType.FIELD).equals(MsgType.EXECUTION_REPORT)
                        && !(message.isSetField(RefSeqNum.FIELD) && refusedHere.remove(message.getInt(RefSeqNum.FIELD)))) {
                    // QuickFIX/J refused a report before the application saw it (a required field
                    // missing): which order it was about is not known, so every open one is asked
                    // about, by the loop's next sweep (StatusRechecks: at most one per SWEEP_EVERY)
                    stats.unreadable();
                    recheck.unidentified();
                    LOG.debugf("an execution report was rejected by the session (%s)",
                            FixValues.optionalString(message, Text.FIELD).orElse("no reason"));
                }
            } catch (FieldNotFound e) {
                // not a message of ours to follow
            }
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) throws FieldNotFound {
            if (message.getHeader().getString(MsgType.FIELD).equals(MsgType.REJECT) && message.isSetField(RefSeqNum.FIELD)) {
                String orderId = sentSequenceNumbers.remove(message.getInt(RefSeqNum.FIELD));
                InFlight pending = orderId == null ? null : inFlight.remove(orderId);
                if (pending != null) {
                    String text = FixValues.optionalString(message, Text.FIELD).orElse("no reason given");
                    publishRejected(orderId, pending, "session reject: " + text);
                }
            }
        }

        @Override
        public void toApp(Message message, SessionID sessionId) throws quickfix.DoNotSend {
            try {
                if (message.getHeader().getString(MsgType.FIELD).equals(MsgType.ORDER_SINGLE)) {
                    sentSequenceNumbers.put(message.getHeader().getInt(MsgSeqNum.FIELD), message.getString(ClOrdID.FIELD));
                }
            } catch (FieldNotFound e) {
                // not one of ours to track
            }
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) throws FieldNotFound, IncorrectTagValue {
            String type = message.getHeader().getString(MsgType.FIELD);
            if (type.equals(MsgType.EXECUTION_REPORT)) {
                ExecutionReport report = (ExecutionReport) message;
                try {
                    onReport(report);
                } catch (FieldNotFound | IncorrectTagValue unreadable) {
                    // Thrown on to QuickFIX/J, which answers with a session Reject naming the tag and
                    // counts the message as received, so the session's sequence goes on. The report
                    // is not dropped: the order's state is asked for until a readable report comes.
                    stats.unreadable();
                    askAgain(report, unreadable);
                    refusedHere.add(report.getHeader().getInt(MsgSeqNum.FIELD)); // counted and asked about here
                    throw unreadable;
                }
            } else if (type.equals(MsgType.BUSINESS_MESSAGE_REJECT) && message.isSetField(BusinessRejectRefID.FIELD)) {
                String orderId = message.getString(BusinessRejectRefID.FIELD);
                InFlight pending = inFlight.remove(orderId);
                if (pending != null) {
                    publishRejected(orderId, pending, "business reject: "
                            + FixValues.optionalString(message, Text.FIELD).orElse("no reason given"));
                }
            }
        }
    }

    /**
     * Publishes a rejection the counterparty sent for an order in flight. If it cannot be
     * published, the order goes back in flight and is reconciled on the next round (asked about,
     * resent if the exchange does not have it): nothing thrown here may reach QuickFIX/J, which
     * would then wait for this message for ever.
     */
    private void publishRejected(String orderId, InFlight pending, String reason) {
        try {
            publish(FixReports.rejected(orderId, pending.order().getTicker(), reason, Instant.now()));
            stats.rejected();
        } catch (GatewayException e) {
            inFlight.put(orderId, pending);
            reconcileOnLogon = true;
            LOG.errorf("%s; the order is reconciled again", e.getMessage());
        }
    }

    /**
     * After an unreadable report: the order's status is asked for, paced by {@link StatusRechecks},
     * until a readable report of it is published. Until then the order stays SENT and counts
     * against the risk limits: the exchange may have filled it, and what it holds is not known.
     */
    private void askAgain(ExecutionReport report, Exception why) {
        String orderId = FixValues.optionalString(report, ClOrdID.FIELD).orElse(null);
        InFlight pending = orderId == null ? null : inFlight.get(orderId);
        if (pending != null) {
            recheck.arm(orderId, FixOrders.statusRequest(pending.order()));
        } else if (orderId != null) {
            statusRequestFor(orderId, report).ifPresent(request -> recheck.arm(orderId, request));
        }
        LOG.warnf("unreadable execution report of %s (%s): rejected; %s", orderId == null ? "an unnamed order" : orderId,
                why instanceof IncorrectTagValue ? "tag " + ((IncorrectTagValue) why).getField() + " cannot be carried exactly"
                        : "missing " + why.getMessage(),
                orderId != null && recheck.waiting(orderId) ? "its status is asked for until a readable report comes"
                        : "not one of the orders in flight, and too little of it to ask the exchange about");
    }

    /** How to ask about {@code orderId}, from what its report says (empty without a side or a symbol). */
    private static Optional<quickfix.fix44.OrderStatusRequest> statusRequestFor(String orderId, ExecutionReport report) {
        Optional<String> symbol = FixValues.optionalString(report, quickfix.field.Symbol.FIELD);
        Optional<String> side = FixValues.optionalString(report, quickfix.field.Side.FIELD);
        if (symbol.isEmpty() || side.isEmpty() || side.get().length() != 1) {
            return Optional.empty();
        }
        return Optional.of(FixOrders.statusRequest(orderId, side.get().charAt(0), symbol.get()));
    }

    /**
     * Publishes first, then answers a waiting status request: returning normally is what lets
     * QuickFIX/J count the message as received.
     */
    private void onReport(ExecutionReport report) throws FieldNotFound, IncorrectTagValue {
        String orderId = report.getString(ClOrdID.FIELD);
        boolean unknown = FixReports.unknownOrder(report);
        var event = FixReports.toEvent(report, Instant.now());
        if (event.isPresent()) {
            try {
                publish(event.get());
                recheck.answered(orderId);
                char status = report.getChar(OrdStatus.FIELD);
                Optional<quickfix.fix44.OrderStatusRequest> ask = statusRequestFor(orderId, report);
                if (status == OrdStatus.FILLED || status == OrdStatus.REJECTED || status == OrdStatus.CANCELED
                        || status == OrdStatus.EXPIRED || ask.isEmpty()) {
                    working.remove(orderId);
                } else {
                    working.put(orderId, ask.get());
                }
            } catch (GatewayException e) {
                // not lost: the order's state is asked for again until a report of it is published
                LOG.errorf("%s; the order's status will be asked for again", e.getMessage());
                recheck.arm(orderId, FixOrders.statusRequest(orderId, report.getChar(quickfix.field.Side.FIELD),
                        report.getString(quickfix.field.Symbol.FIELD)));
                return;
            }
            InFlight pending = inFlight.remove(orderId);
            if (pending != null) {
                stats.answered(event.get().getType(), System.nanoTime() - pending.sentNanos());
                if (event.get().getType() == BrokerEventType.ACCEPTED) {
                    // accepted, fills to come: keep the send time for the round trip to the first fill
                    stats.awaitFill(orderId, pending.sentNanos());
                }
            } else if (event.get().getType() == BrokerEventType.FILL) {
                stats.filled(orderId);
            }
        } else {
            // the exchange does not know it: nothing open to ask about (one still in flight is
            // reconciled as such, not here)
            working.remove(orderId);
            recheck.answered(orderId);
        }
        CompletableFuture<Boolean> waiting = statusAnswers.get(orderId);
        if (waiting != null && report.getChar(quickfix.field.ExecType.FIELD) == quickfix.field.ExecType.ORDER_STATUS) {
            waiting.complete(!unknown);
        }
    }

    static final class GatewayException extends RuntimeException {
        GatewayException(String message) {
            super(message);
        }
    }
}
