"""A ticker's state and the whole per-price step, shared by the live service and the backtest.

Re-delivery is recognised as the Java strategies recognise it (trading.strategy.SourceSequences):
per price source, the last sequence applied; a price whose sequence is not above it is counted as
skipped and changes nothing else. The 16 sources applied most recently are remembered.
"""
import json

from . import order_ids
from .bollinger import BUY, FLAT, LONG

SOURCE_LIMIT = 16
SIGNAL_LIMIT = 20


class TickerState:
    __slots__ = ("ticker", "window", "position", "last_signal", "last_price", "last_source", "last_sequence",
                 "last_event_time", "updates", "skipped", "sources", "signals")

    def __init__(self, ticker):
        self.ticker = ticker
        self.window = []          # unscaled prices, oldest first, at most N
        self.position = FLAT
        self.last_signal = None
        self.last_price = None    # unscaled
        self.last_source = None
        self.last_sequence = 0
        self.last_event_time = 0
        self.updates = 0
        self.skipped = 0
        self.sources = []         # [source, sequence], most recently applied first
        self.signals = []         # recent signals, newest first

    def applied(self, source, sequence):
        for known, last in self.sources:
            if known == source:
                return sequence <= last
        return False

    def apply(self, strategy, rule, price, source, sequence, event_time):
        """Applies one price (unscaled); returns the signal it fires as a dict, or None."""
        if self.applied(source, sequence):
            self.skipped += 1
            return None
        window = self.window
        window.append(price)
        if len(window) > rule.n:
            del window[0]
        signal = rule.decide(window, self.position)
        self.last_price = price
        self.last_source = source
        self.last_sequence = sequence
        self.last_event_time = event_time
        self.updates += 1
        self._remember(source, sequence)
        if signal is None:
            return None
        self.position = LONG if signal == BUY else FLAT
        self.last_signal = signal
        event = {"signal": signal, "price": price, "source": source, "sequence": sequence,
                 "eventTimeMillis": event_time, "orderId": order_ids.derive(strategy, self.ticker, source, sequence),
                 "indicators": {k: None if v is None else str(v) for k, v in rule.indicators(window).items()}}
        self.signals.insert(0, event)
        del self.signals[SIGNAL_LIMIT:]
        return event

    def _remember(self, source, sequence):
        sources = self.sources
        if sources and sources[0][0] == source:
            sources[0][1] = sequence
            return
        for i, entry in enumerate(sources):
            if entry[0] == source:
                del sources[i]
                break
        sources.insert(0, [source, sequence])
        del sources[SOURCE_LIMIT:]

    def to_json(self):
        return json.dumps({"ticker": self.ticker, "window": self.window, "position": self.position,
                           "lastSignal": self.last_signal, "lastPrice": self.last_price,
                           "lastSource": self.last_source, "lastSequence": self.last_sequence,
                           "lastEventTime": self.last_event_time, "updates": self.updates, "skipped": self.skipped,
                           "sources": self.sources, "signals": self.signals}, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data):
        d = json.loads(data)
        state = cls(d["ticker"])
        state.window = d["window"]
        state.position = d["position"]
        state.last_signal = d["lastSignal"]
        state.last_price = d["lastPrice"]
        state.last_source = d["lastSource"]
        state.last_sequence = d["lastSequence"]
        state.last_event_time = d["lastEventTime"]
        state.updates = d["updates"]
        state.skipped = d["skipped"]
        state.sources = d["sources"]
        state.signals = d["signals"]
        return state
