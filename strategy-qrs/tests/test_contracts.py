import io
import json
import os
import random
import unittest
from pathlib import Path

import avro.io
import avro.schema

from qrs import contracts
from qrs.__main__ import decide
from qrs.settings import Settings, SettingsError

SCHEMAS = Path(__file__).resolve().parents[2] / "common-schema/src/main/avro"


class Contracts(unittest.TestCase):
    def test_a_contract_written_by_javas_registration_equals_the_repositorys(self):
        ours = json.loads((SCHEMAS / "Order.avsc").read_text())
        # as the registry answers: Java string hints, the enums as references to subjects of their own
        theirs = json.loads(json.dumps(ours))
        for field in theirs["fields"]:
            if field["type"] == "string":
                field["type"] = {"type": "string", "avro.java.string": "String"}
        named = {"trading.schema.Side": dict(theirs["fields"][3]["type"], namespace="trading.schema"),
                 "trading.schema.OrderType": dict(theirs["fields"][5]["type"], namespace="trading.schema")}
        theirs["fields"][3]["type"] = "Side"
        theirs["fields"][5]["type"] = "trading.schema.OrderType"
        resolved = contracts.inline(theirs, named, "")
        self.assertEqual(contracts.normalized(ours), contracts.normalized(resolved))

    def test_a_changed_contract_is_told_apart(self):
        ours = json.loads((SCHEMAS / "Price.avsc").read_text())
        changed = json.loads(json.dumps(ours))
        changed["fields"][1]["type"]["scale"] = 6
        self.assertNotEqual(contracts.normalized(ours), contracts.normalized(changed))

    def test_bad_bytes_are_undecodable_not_a_crash(self):
        decoder = contracts.PriceDecoder(None, 1, json.loads((SCHEMAS / "Price.avsc").read_text()))
        for data, reason in ((b"", "wire format"), (b"\1\0\0\0\1abc", "wire format"),
                             (b"\0\0\0\0\1\xff\xff", "undecodable"), (None, "tombstone")):
            with self.subTest(data=data):
                with self.assertRaises(contracts.Undecodable) as raised:
                    decoder.decode(data)
                self.assertIn(reason, str(raised.exception))

    def test_an_unknown_schema_id_is_undecodable_and_an_absent_registry_is_not(self):
        class Registry:
            def __init__(self, answer):
                self.answer = answer

            def by_id(self, schema_id):
                if isinstance(self.answer, Exception):
                    raise self.answer
                return self.answer

        schema = json.loads((SCHEMAS / "Price.avsc").read_text())
        with self.assertRaises(contracts.Undecodable):
            contracts.PriceDecoder(Registry(None), 1, schema).decode(b"\0\0\0\0\7abc")
        with self.assertRaises(contracts.RegistryUnavailable):
            contracts.PriceDecoder(Registry(contracts.RegistryUnavailable("down")), 1, schema).decode(b"\0\0\0\0\7abc")

    def test_the_direct_reader_reads_what_python_avro_reads(self):
        schema = json.loads((SCHEMAS / "Price.avsc").read_text())
        writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(contracts.wire_schema(schema))))
        reference = contracts.PriceDecoder(None, 1, schema)
        reference.readers = {}  # ask the registry, which answers a schema python-avro must resolve
        evolved = dict(schema, fields=schema["fields"] + [{"name": "venue", "type": ["null", "string"], "default": None}])
        reference.registry = type("Registry", (), {"by_id": lambda self, schema_id: evolved})()
        evolved_writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(contracts.wire_schema(evolved))))
        direct = contracts.PriceDecoder(None, 1, schema)
        rng = random.Random(7)
        for i in range(300):
            price = {"ticker": rng.choice(["AAPL", "BRK.B", "Ünï", "X" * rng.randint(1, 40)]),
                     "price": contracts.decimal_bytes(rng.randint(1, 10 ** rng.randint(1, 24))),
                     "size": contracts.decimal_bytes(rng.randint(-10 ** 12, 10 ** 12)),
                     "eventTime": rng.randint(-2 ** 63, 2 ** 63 - 1), "sequence": rng.randint(0, 2 ** rng.randint(1, 62)),
                     "source": rng.choice(["sim-42-1", "replay:cours-été.csv", ""]), "publishTime": rng.randint(0, 2 ** 60)}
            buffer = io.BytesIO()
            writer.write(price, avro.io.BinaryEncoder(buffer))
            with self.subTest(price=price):
                self.assertEqual(price, direct.decode(b"\0\0\0\0\1" + buffer.getvalue()))
                buffer = io.BytesIO()
                evolved_writer.write(dict(price, venue="XNYS"), avro.io.BinaryEncoder(buffer))
                self.assertEqual(price, reference.decode(b"\0\0\0\0\2" + buffer.getvalue()))

    def test_a_cut_or_corrupt_price_is_undecodable(self):
        schema = json.loads((SCHEMAS / "Price.avsc").read_text())
        writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(contracts.wire_schema(schema))))
        buffer = io.BytesIO()
        writer.write({"ticker": "AAPL", "price": b"\x01", "size": b"\x00", "eventTime": 1, "sequence": 1,
                      "source": "s", "publishTime": 2}, avro.io.BinaryEncoder(buffer))
        whole = b"\0\0\0\0\1" + buffer.getvalue()
        decoder = contracts.PriceDecoder(None, 1, schema)
        for cut in range(5, len(whole)):
            with self.subTest(cut=cut):
                with self.assertRaises(contracts.Undecodable):
                    decoder.decode(whole[:cut])
        for corrupt in (b"\x03", b"\x81" * 11, b"\x08\xff\xfe\xfd\xfc"):  # a negative length, a varint too long, not UTF-8
            with self.subTest(corrupt=corrupt):
                with self.assertRaises(contracts.Undecodable):
                    decoder.decode(b"\0\0\0\0\1" + corrupt)


class Configuration(unittest.TestCase):
    def test_the_catalog_entry_arrives_as_environment_variables(self):
        settings = Settings({"STRATEGY_NAME": "qrs", "STRATEGY_PARAM_WINDOW": "10", "STRATEGY_QUANTITY": "5",
                             "KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SSL_TRUSTSTORE_LOCATION": "/ca.crt",
                             "KAFKA_SASL_JAAS_CONFIG": 'x.ScramLoginModule required username="strategy-qrs" password="p";'})
        self.assertEqual(10, settings.parameters["window"])
        self.assertEqual("trading-strategy.qrs-ticker-state-store-changelog", settings.changelog)
        self.assertEqual({"bootstrap.servers": "localhost:9092", "security.protocol": "SASL_SSL",
                          "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "strategy-qrs", "sasl.password": "p",
                          "ssl.ca.location": "/ca.crt"}, settings.kafka)

    def test_a_bad_setting_is_one_line(self):
        for env, message in (({"STRATEGY_PARAM_WINDW": "3"}, "no parameter windw"),
                             ({"STRATEGY_RULE": "sma-crossover"}, "runs rule bollinger-reversion"),
                             ({"STRATEGY_QUANTITY": "-1"}, "must be positive")):
            with self.subTest(env=env):
                with self.assertRaises(SettingsError) as raised:
                    Settings(env)
                self.assertIn(message, str(raised.exception))
                self.assertNotIn("\n", str(raised.exception))


class Decide(unittest.TestCase):
    def test_the_backtest_entry_answers_every_tick_in_order(self):
        ticks = ["AAPL,100,f,1,1", "AAPL,100,f,2,2", "AAPL,40,f,3,3", "MSFT,1.5,f,1,4", "AAPL,40,f,3,3",
                 "AAPL,100,f,4,5"]
        out = io.StringIO()
        decide(Settings({"STRATEGY_PARAM_WINDOW": "3", "STRATEGY_PARAM_K": "1"}), [t + "\n" for t in ticks], out)
        lines = out.getvalue().splitlines()
        self.assertEqual(["-", "-", "BUY", "-", "-", "SELL"], [line.split(",")[0] for line in lines])


if __name__ == "__main__":
    unittest.main()
