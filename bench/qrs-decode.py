"""qrs offline: CPU per price of decoding a price (python-avro's DatumReader against the direct
reader, contracts.RecordReader), and of decoding and applying it, on 50 000 prices of 24 tickers.

    /usr/bin/python3 bench/qrs-decode.py
"""
import io, json, random, sys, time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
sys.path.insert(0, ROOT + "/strategy-qrs")
import avro.io, avro.schema
from qrs import contracts
from qrs.bollinger import Bollinger
from qrs.state import TickerState

schema = json.load(open(ROOT + "/common-schema/src/main/avro/Price.avsc"))
writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(contracts.wire_schema(schema))))
rng = random.Random(1)
tickers = ["T%02d" % i for i in range(24)]
records = []
for seq in range(1, 50_001):
    b = io.BytesIO()
    writer.write({"ticker": tickers[seq % 24], "price": contracts.decimal_bytes(10_000_000_000 + rng.randint(-10**9, 10**9)),
                  "size": contracts.decimal_bytes(100_000_000), "eventTime": 1796302436313 + seq, "sequence": seq,
                  "source": "sim-42-1796302436313", "publishTime": 1796302436313123 + seq}, avro.io.BinaryEncoder(b))
    records.append(b"\0\0\0\0\1" + b.getvalue())
decoder = contracts.PriceDecoder(None, 1, schema)
old = avro.io.DatumReader(avro.schema.parse(json.dumps(contracts.wire_schema(schema))))
def old_decode(data):
    return old.read(avro.io.BinaryDecoder(io.BytesIO(data[5:])))
rule = Bollinger(20, 2)
for name, decode in (("python-avro DatumReader", old_decode), ("direct reader", decoder.decode)):
    t = time.process_time()
    for r in records:
        decode(r)
    d = time.process_time() - t
    states = {}
    t = time.process_time()
    for r in records:
        p = decode(r)
        s = states.get(p["ticker"]) or states.setdefault(p["ticker"], TickerState(p["ticker"]))
        s.apply("qrs", rule, contracts.unscaled(p["price"]), p["source"], p["sequence"], p["eventTime"])
    a = time.process_time() - t
    print(f"{name:26s} decode {d / len(records) * 1e6:5.1f} µs/price, decode + apply {a / len(records) * 1e6:5.1f} µs/price")
