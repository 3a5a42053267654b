"""python3 -m qrs [run | decide | info]

  run     the live service (the default)
  decide  the backtest's entry: ticks on standard input, one per line
          (ticker,price,source,sequence,eventTimeMillis), in the order of the file; for each tick one
          line on standard output: '-' when it fires nothing, else 'SIDE,orderId'. The same per-price
          step as the live service, so a backtest runs qrs's own code.
  info    what GET /strategy answers, as JSON (./pipeline strategies)

Configuration is the environment (see settings.py); a bad setting stops with a one-line message.
"""
import sys
from decimal import Decimal

from . import bollinger
from .settings import Settings, SettingsError
from .state import TickerState


def decide(settings, lines, out):
    rule = bollinger.Bollinger(settings.parameters["window"], settings.parameters["k"])
    states = {}
    unit = Decimal(1).scaleb(bollinger.SCALE)
    for number, line in enumerate(lines, 1):
        try:
            ticker, price, source, sequence, event_time = line.rstrip("\n").split(",")
            unscaled = Decimal(price) * unit
            if unscaled != unscaled.to_integral_value():
                raise ValueError("more than 8 decimals")
            state = states.get(ticker) or states.setdefault(ticker, TickerState(ticker))
            signal = state.apply(settings.name, rule, int(unscaled), source, int(sequence), int(event_time))
        except (ValueError, ArithmeticError) as e:
            raise SystemExit(f"qrs decide: line {number} is not ticker,price,source,sequence,eventTimeMillis: {e}")
        out.write("-\n" if signal is None else f"{signal['signal']},{signal['orderId']}\n")
    out.flush()


def main(argv):
    command = argv[1] if len(argv) > 1 else "run"
    try:
        settings = Settings()
    except SettingsError as e:
        print(f"strategy-qrs: {e}", file=sys.stderr)
        return 2
    if command == "decide":
        decide(settings, sys.stdin, sys.stdout)
        return 0
    if command == "info":
        from .http_api import Api, dumps
        api = Api.__new__(Api)
        api.settings = settings
        api.strategy = type("S", (), {"rule": bollinger.Bollinger(settings.parameters["window"],
                                                                   settings.parameters["k"])})
        print(dumps(api.info()))
        return 0
    if command == "run":
        from . import contracts, service
        try:
            service.main(settings)
        except contracts.ContractError as e:
            print(f"strategy-qrs: {e}", file=sys.stderr)
            return 2
        return 0
    print(f"strategy-qrs: unknown command '{command}' (run, decide or info)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
