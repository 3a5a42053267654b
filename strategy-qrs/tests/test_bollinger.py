import random
import unittest
from decimal import Decimal
from fractions import Fraction

from qrs import bollinger
from qrs.bollinger import BUY, FLAT, LONG, SELL, Bollinger


def reference(window, position, n, k):
    """The rule as the issue states it, in exact rationals: mean, population variance, k^2 v."""
    if len(window) < n:
        return None
    xs = [Fraction(x) for x in window[-n:]]
    p = xs[-1]
    m = sum(xs) / n
    v = sum((x - m) ** 2 for x in xs) / n
    k = Fraction(k)
    if position == FLAT and p < m and (m - p) ** 2 > k * k * v:
        return BUY
    if position == LONG and p >= m:
        return SELL
    return None


class BollingerRule(unittest.TestCase):
    def test_nothing_until_the_window_is_full(self):
        rule = Bollinger(3, 2)
        self.assertIsNone(rule.decide([100, 1], FLAT))

    def test_buys_only_strictly_beyond_k_deviations_below_the_mean(self):
        # window 5 of 10,10,10,10,p: m = (40+p)/5, v = 4/25 (10 - p)^2; (m-p)^2 = 16/25 (10-p)^2 = 4 v
        # so with k = 2 the price is exactly on the band (a tie): no BUY; just below k it is a BUY
        window = [10, 10, 10, 10, 6]
        self.assertIsNone(Bollinger(5, 2).decide(window, FLAT), "on the band is not beyond it")
        self.assertEqual(BUY, Bollinger(5, Decimal("1.99999999")).decide(window, FLAT))

    def test_sells_at_the_mean_and_not_below_it(self):
        self.assertEqual(SELL, Bollinger(4, 2).decide([10, 10, 10, 10], LONG), "p = m sells")
        self.assertIsNone(Bollinger(4, 2).decide([10, 10, 10, 9], LONG))

    def test_equal_prices_never_buy(self):
        self.assertIsNone(Bollinger(20, 2).decide([12345678] * 20, FLAT))

    def test_agrees_with_exact_rationals_on_random_walks_with_ties(self):
        rng = random.Random(7)
        for k in ("2", "1.5", "0.5", "3"):
            rule = Bollinger(20, Decimal(k))
            position, window = FLAT, []
            for _ in range(5000):
                step = rng.choice([-2, -1, 0, 0, 1, 2]) * 1_000_000
                window.append(max(1, (window[-1] if window else 100_00000000) + step))
                window = window[-20:]
                expected = reference(window, position, 20, Decimal(k))
                self.assertEqual(expected, rule.decide(window, position))
                if expected is not None:
                    position = LONG if expected == BUY else FLAT

    def test_parameters_have_defaults_and_refuse_nonsense_in_one_line(self):
        self.assertEqual({"window": Decimal(20), "k": Decimal(2)}, bollinger.parameters({}))
        self.assertEqual(Decimal("2.5"), bollinger.parameters({"k": "2.5"})["k"])
        for given, message in (({"windw": "3"}, "no parameter windw"), ({"k": "x"}, "not a number"),
                               ({"window": "2.5"}, "integer"), ({"k": "0"}, "above 0"), ({"k": "NaN"}, "above 0")):
            with self.subTest(given=given):
                with self.assertRaises(bollinger.ParameterError) as raised:
                    bollinger.parameters(given)
                self.assertIn(message, str(raised.exception))

    def test_the_bands_for_display(self):
        bands = Bollinger(4, 1).indicators([8_00000000, 10_00000000, 12_00000000, 10_00000000])
        # mean 10, population sd sqrt(2)
        self.assertEqual(Decimal("10.00000000"), bands["middle"])
        self.assertEqual(Decimal("11.41421356"), bands["upper"])
        self.assertEqual(Decimal("8.58578644"), bands["lower"])


if __name__ == "__main__":
    unittest.main()
