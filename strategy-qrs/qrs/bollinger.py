"""The rule: Bollinger mean reversion, long or flat, decided in exact integer arithmetic.

Prices are handled as unscaled integers at the wire's scale (8 fractional digits), so that
equal prices and ties decide exactly as written, with no square root and no floating point:

  S = sum(x), Q = sum(x^2) over the window of N prices (the current price p included)
  mean m = S/N, population variance v = Q/N - m^2, so N^2 v = N Q - S^2
  p < m                  <=>  N p < S
  (m - p)^2 > k^2 v      <=>  (S - N p)^2 kd^2 > kn^2 (N Q - S^2)     (k = kn/kd, exactly)
  p >= m                 <=>  N p >= S
"""
from decimal import Decimal, localcontext
from fractions import Fraction

RULE_ID = "bollinger-reversion"
DESCRIPTION = ("Bollinger mean reversion, long or flat: BUY when the price falls more than k standard"
               " deviations below the mean of the last N prices, SELL when it is back at the mean")
SCALE = 8
BUY = "BUY"
SELL = "SELL"
FLAT = "FLAT"
LONG = "LONG"

# name -> (default, check, what the check says)
PARAMETERS = {
    "window": (Decimal(20), lambda v: v == v.to_integral_value() and 2 <= v <= 10_000, "an integer from 2 to 10000"),
    "k": (Decimal(2), lambda v: 0 < v <= 100, "above 0 and at most 100"),
}


class ParameterError(ValueError):
    pass


def parameters(given):
    """The effective parameters: the defaults with `given` (name -> text) applied, checked."""
    unknown = sorted(set(given) - set(PARAMETERS))
    if unknown:
        raise ParameterError(f"rule {RULE_ID} has no parameter {', '.join(unknown)}"
                             f" (it has {', '.join(PARAMETERS)})")
    effective = {}
    for name, (default, check, rule) in PARAMETERS.items():
        text = given.get(name)
        try:
            value = default if text is None else Decimal(str(text).strip())
        except ArithmeticError:
            raise ParameterError(f"parameter {name} of {RULE_ID} is not a number: '{text}'") from None
        if not value.is_finite() or not check(value):
            raise ParameterError(f"parameter {name} of {RULE_ID} must be {rule}, was {text}")
        effective[name] = value
    return effective


class Bollinger:
    """The decision on one price given the window, the position and the parameters."""

    def __init__(self, window, k):
        self.n = int(window)
        self.k = Decimal(k)
        ratio = Fraction(self.k)
        self.k_num2 = ratio.numerator ** 2
        self.k_den2 = ratio.denominator ** 2

    def decide(self, window, position):
        """BUY, SELL or None for the newest price, window[-1]; window holds unscaled prices, oldest first."""
        if len(window) < self.n:
            return None
        n = self.n
        p = window[-1]
        s = sum(window)
        if position == FLAT:
            below = s - n * p  # N (m - p), positive when p < m
            if below <= 0:
                return None
            q = sum(x * x for x in window)
            return BUY if below * below * self.k_den2 > self.k_num2 * (n * q - s * s) else None
        return SELL if n * p >= s else None

    def indicators(self, window):
        """The bands for display (GET /state): middle, upper and lower, null until the window is full."""
        if len(window) < self.n:
            return {"middle": None, "upper": None, "lower": None}
        n = self.n
        s = sum(window)
        q = sum(x * x for x in window)
        with localcontext() as ctx:
            ctx.prec = 40
            mean = Decimal(s) / n
            deviation = (Decimal(n * q - s * s) / (n * n)).sqrt() * self.k
            unit = Decimal(1).scaleb(SCALE)
            display = Decimal(1).scaleb(-SCALE)
            return {"middle": (mean / unit).quantize(display),
                    "upper": ((mean + deviation) / unit).quantize(display),
                    "lower": ((mean - deviation) / unit).quantize(display)}

    def plots(self):
        """How a chart draws the indicators (GET /strategy): all three beside the prices."""
        n, k = self.n, plain(self.k)
        return [plot("middle", f"mean {n}"), plot("upper", f"mean {n} + {k} sd"), plot("lower", f"mean {n} - {k} sd")]


def plot(name, label):
    return {"name": name, "label": label, "panel": "price", "min": None, "max": None, "bands": []}


def plain(value):
    """A decimal without trailing zeros, in plain notation (how the Java services write numbers)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")
