"""The live service: prices -> per-ticker state -> orders, exactly once.

A Kafka transaction holds the orders, the dead letters, the new state of every ticker it touched (in
a compacted changelog topic of the strategy's own) and the consumed offsets, sent with the consumer
group's metadata (KIP-447), so that a zombie instance is fenced by the group's generation. It is
committed at the end of the batch that decided an order (orders are readable only then), else
once it has lasted TRANSACTION_AT_MOST, and before partitions are given back in a rebalance: a
transaction per batch cost the broker 20 transactions a second for prices that decided nothing. Prices are read read_committed. When partitions are assigned, their
tickers' state is restored from the changelog before any of their prices is processed.

Anything that goes wrong inside a transaction aborts it and rewinds: every assigned partition is
sought back to its committed offset and its state restored again, so the batch is redone as if it
had never been seen. A registry that does not answer is waited for (with backoff), never a reason
to dead-letter a price.
"""
import logging
import signal
import threading
import time

import confluent_kafka as kafka
from confluent_kafka.admin import AdminClient, NewTopic

from . import bollinger, contracts
from .state import TickerState

PRICES = "prices"
ORDERS = "orders"
PRICES_DLQ = "prices.dlq"
LOG = logging.getLogger("qrs")
# seconds a transaction that holds no order stays open across batches
TRANSACTION_AT_MOST = 1.0


class PartitionsLost(Exception):
    """The group took partitions away without a revoke (the session expired): what the open
    transaction holds of them can no longer be committed."""


def fenced(error):
    """Whether the producer's epoch is no longer the current one: a newer producer of its id, or the
    coordinator's abort of a timed-out transaction (KIP-360)."""
    return error.code() in (getattr(kafka.KafkaError, "_FENCED", None), getattr(kafka.KafkaError, "PRODUCER_FENCED", None),
                            getattr(kafka.KafkaError, "INVALID_PRODUCER_EPOCH", None)) and error.fatal()


class Strategy:
    """What the service knows: per partition of prices, the state of each of its tickers."""

    def __init__(self, settings):
        self.settings = settings
        self.rule = bollinger.Bollinger(settings.parameters["window"], settings.parameters["k"])
        self.quantity = int(settings.quantity.scaleb(bollinger.SCALE))
        self.partitions = {}      # partition -> {ticker: TickerState}, only restored, assigned ones
        self.lock = threading.Lock()
        self.applied = 0
        self.skipped = 0
        self.orders = 0
        self.dead_letters = 0
        self.latencies = []       # seconds from the feed publishing a price to the order decided on it
        self.ready = False
        self.problem = "starting"
        self.last_loop = time.monotonic()

    def state_of(self, ticker):
        for states in self.partitions.values():
            if ticker in states:
                return states[ticker]
        return None

    def record_latency(self, seconds):
        self.latencies.append(seconds)
        if len(self.latencies) > 4096:
            del self.latencies[:2048]


class Service:
    def __init__(self, settings, strategy):
        self.settings = settings
        self.strategy = strategy
        self.running = True
        self.assigned = []
        self.forget_transaction()

    # --- start-up -------------------------------------------------------------------------------

    def check_contracts(self):
        """The registry's contracts must be the repository's; (re)tried until the registry answers."""
        registry = contracts.Registry(self.settings.registry_url)
        delay = 0.5
        while self.running:
            try:
                price_id, price_schema = contracts.checked(registry, contracts.PRICE_SUBJECT,
                                                           self.settings.schema_dir / "Price.avsc")
                order_id, order_schema = contracts.checked(registry, contracts.ORDER_SUBJECT,
                                                           self.settings.schema_dir / "Order.avsc")
                self.decoder = contracts.PriceDecoder(registry, price_id, price_schema)
                self.encoder = contracts.OrderEncoder(order_id, order_schema)
                LOG.info("contracts checked: %s id %d, %s id %d", contracts.PRICE_SUBJECT, price_id,
                         contracts.ORDER_SUBJECT, order_id)
                return
            except contracts.RegistryUnavailable as e:
                self.strategy.problem = str(e)
                LOG.warning("%s; retrying in %.1f s", e, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10)

    def ensure_changelog(self):
        """The changelog topic: compacted, one partition per partition of prices (created if missing)."""
        admin = AdminClient(self.settings.kafka)
        metadata = admin.list_topics(timeout=30)
        if PRICES not in metadata.topics or metadata.topics[PRICES].error is not None:
            raise RuntimeError(f"topic {PRICES} does not exist")
        self.price_partitions = len(metadata.topics[PRICES].partitions)
        if self.settings.changelog not in metadata.topics:
            futures = admin.create_topics([NewTopic(self.settings.changelog, self.price_partitions, -1,
                                                    config={"cleanup.policy": "compact"})])
            for future in futures.values():
                try:
                    future.result()
                except kafka.KafkaException as e:
                    if e.args[0].code() != kafka.KafkaError.TOPIC_ALREADY_EXISTS:
                        raise
            LOG.info("created %s (%d partitions, compacted)", self.settings.changelog, self.price_partitions)

    def connect(self):
        s = self.settings
        self.consumer = kafka.Consumer(dict(s.kafka, **{
            "group.id": s.application_id,
            "client.id": f"{s.name}@{s.address}",   # how the other instances find this one's HTTP address
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            "session.timeout.ms": 10000,
            "heartbeat.interval.ms": 2000,
            "fetch.wait.max.ms": 20,
        }))
        self.restorer = kafka.Consumer(dict(s.kafka, **{
            "group.id": s.application_id,             # assigned by hand, never joins nor commits
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
        }))
        self.fences = []  # when the producer was last fenced: monotonic seconds, the last minute's
        self.producer = self.new_producer()
        self.consumer.subscribe([PRICES], on_assign=self.on_assign, on_revoke=self.on_revoke,
                                on_lost=self.on_lost)

    def fences_recently(self):
        """Counts a fence; true when it is the fourth within a minute."""
        now = time.monotonic()
        self.fences = [t for t in self.fences if now - t < 60] + [now]
        return len(self.fences) > 3

    def new_producer(self):
        producer = kafka.Producer(dict(self.settings.kafka, **{
            "transactional.id": f"{self.settings.application_id}-{self.settings.instance}",
            # Kafka's partitioner (murmur2 of the key), not librdkafka's default (CRC32): an order
            # must land in the partition of orders where the Java clients put its ticker, which
            # order-execution's broker events for it (keyed by ticker too) also reach
            "partitioner": "murmur2_random",
            "linger.ms": 5,
            "transaction.timeout.ms": 10000,
        }))
        producer.init_transactions(60)  # fences an earlier producer of this id and aborts what it left open
        return producer

    # --- rebalances -----------------------------------------------------------------------------

    def on_assign(self, consumer, partitions):
        with self.strategy.lock:
            self.strategy.ready = False
            self.strategy.problem = "restoring state"
            self.assigned = sorted(p.partition for p in partitions)
            for p in self.assigned:
                self.strategy.partitions[p] = self.restore(p)
            self.strategy.ready = True
            self.strategy.problem = None
        LOG.info("assigned partitions %s of %s; state restored (%d tickers)", self.assigned, PRICES,
                 sum(len(v) for v in self.strategy.partitions.values()))

    def on_revoke(self, consumer, partitions):
        # what was processed of them is committed before they go: their next owner starts from
        # these offsets. A commit that fails raises from consume(), and the rest is redone.
        try:
            self.commit(force=True)
        finally:
            self.forget(partitions)

    def on_lost(self, consumer, partitions):
        self.forget(partitions)
        if self.open_since is not None:
            raise PartitionsLost(f"partitions {sorted(p.partition for p in partitions)} lost with a transaction open")

    def forget(self, partitions):
        with self.strategy.lock:
            for p in partitions:
                self.strategy.partitions.pop(p.partition, None)
            self.assigned = [p for p in self.assigned if p in self.strategy.partitions]

    def restore(self, partition):
        """Every ticker of one partition from the changelog, read committed, to its end."""
        states = {}
        tp = kafka.TopicPartition(self.settings.changelog, partition)
        low, high = self.watermarks(tp)
        if high <= low:
            return states
        self.restorer.assign([kafka.TopicPartition(self.settings.changelog, partition, low)])
        deadline = time.monotonic() + 120
        while True:
            for m in self.restorer.consume(1000, 0.2):
                if m.error() is None:
                    if m.value() is None:
                        states.pop(m.key().decode(), None)
                    else:
                        state = TickerState.from_json(m.value())
                        states[state.ticker] = state
            position = self.restorer.position([tp])[0].offset
            if position >= high:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"restoring {self.settings.changelog}[{partition}] took over 120 s")
        self.restorer.unassign()
        return states

    def watermarks(self, tp):
        deadline = time.monotonic() + 60
        while True:
            try:
                return self.restorer.get_watermark_offsets(tp, timeout=10, cached=False)
            except kafka.KafkaException:
                # a topic just created, a leader moving, a broker down: it settles, or the deadline says so
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def rewind(self):
        """After an aborted transaction: back to the committed offsets, with the state they go with."""
        committed = self.consumer.committed([kafka.TopicPartition(PRICES, p) for p in self.assigned], timeout=30)
        for tp in committed:
            offset = tp.offset if tp.offset >= 0 else kafka.OFFSET_BEGINNING
            self.consumer.seek(kafka.TopicPartition(PRICES, tp.partition, offset))
        with self.strategy.lock:
            for p in self.assigned:
                self.strategy.partitions[p] = self.restore(p)

    # --- the loop -------------------------------------------------------------------------------

    def run(self):
        delay = 0.5
        while self.running:
            self.strategy.last_loop = time.monotonic()
            # A batch is what arrived within the commit interval (the floor of tick-to-order latency, as
            # the Java strategies' commit.interval.ms), up to 5 000 prices: a transaction's commit costs
            # a few broker round trips whatever its size, so behind (a burst, a restart) the batches
            # grow and the commits' cost per price shrinks. With batches of at most 500 the bench's
            # sustained rate was 3 500 prices/s, qrs being the slowest reader.
            try:
                messages = self.consumer.consume(5000, self.settings.commit_interval)
                if messages:
                    self.process(messages)
                self.commit()
                delay = 0.5
                continue
            except kafka.KafkaException as e:
                LOG.warning("transaction failed (%s); aborting and redoing the batch", e.args[0])
            except PartitionsLost as e:
                LOG.warning("%s; aborting it and redoing what it held of the partitions kept", e)
            except contracts.RegistryUnavailable as e:
                self.strategy.problem = str(e)
                LOG.warning("%s; the batch is redone in %.1f s", e, delay)
            self.recover()
            time.sleep(delay)
            delay = min(delay * 2, 10)
        self.close()

    def recover(self):
        """Aborts what the failed batch did and rewinds to the committed offsets and their state;
        retried until Kafka answers (a broker down, a coordinator moving)."""
        self.forget_transaction()
        while self.running:
            try:
                self.abort_or_replace_producer()
                self.rewind()
                self.strategy.problem = None
                return
            except kafka.KafkaException as e:
                self.strategy.problem = f"recovering: {e.args[0]}"
                LOG.warning("recovery failed (%s); retrying in 1 s", e.args[0])
                time.sleep(1)

    def abort_or_replace_producer(self):
        """Leaves no transaction open: aborts the failed one, or starts a new producer under the same
        transactional id, whose init_transactions bumps the epoch and aborts it on the broker."""
        if self.producer is not None:
            try:
                self.producer.abort_transaction(30)
                return
            except kafka.KafkaException as e:
                error = e.args[0]
                if error.code() == kafka.KafkaError._STATE:
                    return  # nothing to abort: the transaction never began, or is already gone
                # Anything else leaves the producer unusable for the next batch: fatal (a
                # transaction the coordinator lost in a broker failover, or aborted on timeout and
                # so fenced), or an abort that timed out and is still under way in the background,
                # after which any other call (begin_transaction) fails with _CONFLICT forever.
                self.replace_producer(error)
                return
        self.producer = self.new_producer()  # an earlier replacement could not reach the broker

    def replace_producer(self, error):
        if fenced(error) and self.fences_recently():
            # fenced again and again: another live process uses this instance's transactional id
            raise RuntimeError(f"fenced 4 times within a minute ({error}): another process runs as instance"
                               f" {self.settings.instance}; stopping")
        LOG.warning("producer unusable (%s); starting a new one", error)
        self.producer = None  # until the new one has its epoch: a broker down makes that wait
        self.producer = self.new_producer()

    def forget_transaction(self):
        self.open_since = None     # monotonic seconds when the open transaction began
        self.offsets = {}          # partition -> next offset, consumed in the open transaction
        self.touched = {}          # ticker -> (partition, state) changed in it
        self.holds_orders = False

    def process(self, messages):
        s, strategy, rule = self.settings, self.strategy, self.strategy.rule
        producer = self.producer
        if self.open_since is None:
            producer.begin_transaction()
            self.open_since = time.monotonic()
        touched, offsets = self.touched, self.offsets
        with strategy.lock:
            for m in messages:
                if m.error() is not None:
                    if m.error().code() != kafka.KafkaError._PARTITION_EOF:
                        LOG.warning("consume error: %s", m.error())
                    continue
                partition = m.partition()
                offsets[partition] = m.offset() + 1
                key = m.key().decode("utf-8", "replace") if m.key() is not None else None
                try:
                    price = self.decoder.decode(m.value())
                    problem = contracts.price_problem(key, price)
                    if problem is not None:
                        raise contracts.Undecodable("invalid: " + problem)
                except contracts.Undecodable as e:
                    self.dead_letter(m, str(e))
                    continue
                states = strategy.partitions.setdefault(partition, {})
                ticker = price["ticker"]
                state = states.get(ticker)
                if state is None:
                    state = states[ticker] = TickerState(ticker)
                skipped = state.skipped
                signal = state.apply(s.name, rule, contracts.unscaled(price["price"]), price["source"],
                                     price["sequence"], price["eventTime"])
                touched[ticker] = (partition, state)
                if state.skipped > skipped:
                    strategy.skipped += 1
                    continue
                strategy.applied += 1
                if signal is not None:
                    decided = int(time.time() * 1_000_000)
                    producer.produce(ORDERS, key=m.key(), value=self.encoder.encode({
                        "orderId": signal["orderId"], "strategy": s.name, "ticker": ticker, "side": signal["signal"],
                        "quantity": contracts.decimal_bytes(strategy.quantity), "orderType": "MARKET",
                        "limitPrice": None, "referencePrice": price["price"], "priceSource": price["source"],
                        "priceSequence": price["sequence"], "priceEventTime": price["eventTime"],
                        "pricePublishTime": price["publishTime"], "decisionTime": decided}),
                        headers=m.headers())
                    strategy.orders += 1
                    self.holds_orders = True
                    if price["publishTime"] > 0:
                        strategy.record_latency((decided - price["publishTime"]) / 1e6)

    def commit(self, force=False):
        """Commits the open transaction if it holds an order, has lasted TRANSACTION_AT_MOST, or
        force (partitions going)."""
        if self.open_since is None or not (force or self.holds_orders
                                           or time.monotonic() - self.open_since >= TRANSACTION_AT_MOST):
            return
        producer = self.producer
        # a ticker updated many times in a transaction goes to the changelog once
        with self.strategy.lock:
            for ticker, (partition, state) in self.touched.items():
                producer.produce(self.settings.changelog, key=ticker.encode(), value=state.to_json(),
                                 partition=partition)
        if self.offsets:
            producer.send_offsets_to_transaction(
                [kafka.TopicPartition(PRICES, p, o) for p, o in self.offsets.items()],
                self.consumer.consumer_group_metadata(), 30)
        producer.commit_transaction(30)
        self.forget_transaction()

    def dead_letter(self, message, reason):
        headers = [(k, v) for k, v in (message.headers() or []) if not k.startswith("dlq.")]
        headers += [("dlq.reason", reason.encode()), ("dlq.exception", b"strategy-qrs"),
                    ("dlq.source.topic", message.topic().encode()),
                    ("dlq.source.partition", str(message.partition()).encode()),
                    ("dlq.source.offset", str(message.offset()).encode())]
        self.producer.produce(PRICES_DLQ, key=message.key(), value=message.value(), headers=headers)
        self.strategy.dead_letters += 1

    def stop(self, *_):
        self.running = False

    def close(self):
        try:
            try:
                self.commit(force=True)
            except kafka.KafkaException as e:
                LOG.warning("the last transaction was not committed (%s); its prices are processed again", e.args[0])
            self.consumer.close()
        finally:
            if self.producer is not None:
                self.producer.flush(5)
            self.restorer.close()


def main(settings):
    from . import http_api
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-5s [qrs] %(message)s")
    strategy = Strategy(settings)
    service = Service(settings, strategy)
    signal.signal(signal.SIGTERM, service.stop)
    signal.signal(signal.SIGINT, service.stop)
    server = http_api.start(settings, strategy, service)
    LOG.info("strategy %s (%s %s), HTTP on %s", settings.name, bollinger.RULE_ID,
             {k: bollinger.plain(v) for k, v in settings.parameters.items()}, settings.address)
    service.check_contracts()
    service.ensure_changelog()
    service.connect()
    strategy.problem = "waiting for partitions"
    service.run()
    server.shutdown()
