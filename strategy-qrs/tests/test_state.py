import unittest

from qrs import order_ids
from qrs.bollinger import BUY, Bollinger
from qrs.state import SOURCE_LIMIT, TickerState


class TickerStateTest(unittest.TestCase):
    def test_a_price_seen_before_is_skipped_and_changes_nothing_else(self):
        rule = Bollinger(3, 1)
        state = TickerState("AAPL")
        for sequence, price in enumerate([100, 100, 100], 1):
            state.apply("qrs", rule, price, "s", sequence, 0)
        before = state.to_json()
        self.assertIsNone(state.apply("qrs", rule, 1, "s", 2, 0), "a re-delivered price fires nothing")
        self.assertEqual(1, state.skipped)
        after = TickerState.from_json(state.to_json())
        after.skipped = 0
        self.assertEqual(before, after.to_json())

    def test_sources_are_counted_apart_and_the_least_recent_is_forgotten(self):
        rule = Bollinger(3, 1)
        state = TickerState("AAPL")
        for source in range(SOURCE_LIMIT + 1):
            state.apply("qrs", rule, 100, f"s{source}", 5, 0)
        self.assertEqual(SOURCE_LIMIT, len(state.sources))
        self.assertTrue(state.applied("s1", 5))
        self.assertFalse(state.applied("s0", 5), "forgotten after 16 newer sources")
        self.assertFalse(state.applied("s1", 6))

    def test_a_signal_carries_the_derived_order_id_and_survives_the_changelog(self):
        rule = Bollinger(3, 1)
        state = TickerState("AAPL")
        events = [state.apply("qrs", rule, p, "sim-1", s, 1000 + s) for s, p in enumerate([100, 100, 40], 1)]
        self.assertEqual(BUY, events[-1]["signal"])
        self.assertEqual(order_ids.derive("qrs", "AAPL", "sim-1", 3), events[-1]["orderId"])
        restored = TickerState.from_json(state.to_json())
        self.assertEqual("LONG", restored.position)
        self.assertEqual([100, 100, 40], restored.window)
        self.assertEqual(state.to_json(), restored.to_json())


if __name__ == "__main__":
    unittest.main()
