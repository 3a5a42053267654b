"""qrs computes what the Java services compute, checked against vectors the Java code wrote
(common-schema's OtherLanguagesVectorsTest keeps java-vectors.json true)."""
import json
import unittest
from pathlib import Path

from qrs import contracts, murmur2, order_ids

VECTORS = json.loads((Path(__file__).parent / "java-vectors.json").read_text(encoding="utf-8"))
SCHEMAS = Path(__file__).resolve().parents[2] / "common-schema/src/main/avro"


class AgainstJava(unittest.TestCase):
    def test_order_ids_are_derived_as_java_derives_them(self):
        for v in VECTORS["orderIds"]:
            with self.subTest(v=v):
                self.assertEqual(v["orderId"], order_ids.derive(v["strategy"], v["ticker"], v["source"], v["sequence"]))

    def test_a_ticker_goes_to_the_partition_javas_producer_picks(self):
        for v in VECTORS["partitions"]:
            with self.subTest(ticker=v["ticker"]):
                self.assertEqual(v["murmur2"] & 0xFFFFFFFF, murmur2.murmur2(v["ticker"].encode("utf-8")))
                self.assertEqual(v["partitionOf12"], murmur2.partition(v["ticker"], 12))

    def test_decimals_are_the_bytes_java_writes_and_read_back_exactly(self):
        for v in VECTORS["decimals"]:
            with self.subTest(value=v["value"]):
                data = bytes.fromhex(v["bytes"])
                self.assertEqual(int(v["unscaled"]), contracts.unscaled(data))
                self.assertEqual(data, contracts.decimal_bytes(int(v["unscaled"])))

    def test_an_order_is_encoded_byte_for_byte_as_javas_writer_does(self):
        o = VECTORS["order"]
        schema = json.loads((SCHEMAS / "Order.avsc").read_text(encoding="utf-8"))
        encoder = contracts.OrderEncoder(4, schema)
        data = encoder.encode({
            "orderId": o["orderId"], "strategy": o["strategy"], "ticker": o["ticker"], "side": o["side"],
            "quantity": contracts.decimal_bytes(int(o["quantityUnscaled"])), "orderType": "MARKET",
            "limitPrice": None, "referencePrice": contracts.decimal_bytes(int(o["referencePriceUnscaled"])),
            "priceSource": o["priceSource"], "priceSequence": o["priceSequence"], "priceEventTime": o["priceEventTime"],
            "pricePublishTime": o["pricePublishTime"], "decisionTime": o["decisionTime"]})
        self.assertEqual(b"\0\0\0\0\4", data[:5], "Confluent wire format: magic byte 0, schema id 4")
        self.assertEqual(o["avroBinary"], data[5:].hex())

    def test_a_price_javas_writer_wrote_is_read_field_for_field(self):
        p = VECTORS["price"]
        schema = json.loads((SCHEMAS / "Price.avsc").read_text(encoding="utf-8"))
        price = contracts.PriceDecoder(None, 3, schema).decode(b"\0\0\0\0\3" + bytes.fromhex(p["avroBinary"]))
        self.assertEqual({"ticker": p["ticker"], "price": int(p["priceUnscaled"]), "size": int(p["sizeUnscaled"]),
                          "eventTime": p["eventTime"], "sequence": p["sequence"], "source": p["source"],
                          "publishTime": p["publishTime"]},
                         dict(price, price=contracts.unscaled(price["price"]), size=contracts.unscaled(price["size"])))


if __name__ == "__main__":
    unittest.main()
