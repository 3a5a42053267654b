"""The contracts: Avro schemas looked up in the registry, checked against the repository's, and
the Confluent wire format (magic byte 0, the schema id as 4 bytes big-endian, the Avro binary).

Decimals travel as Avro bytes: the unscaled value, two's complement, big-endian, minimal length
(what Java's BigInteger.toByteArray writes). They are decoded to and encoded from Python ints
here, so no float and no decimal context ever touches a price. Timestamps stay longs.
"""
import io
import json
import struct
import urllib.error
import urllib.request

import avro.io
import avro.schema

PRICE_SUBJECT = "prices-value"
ORDER_SUBJECT = "orders-value"
IGNORED = ("doc",)


class ContractError(RuntimeError):
    """The registry's contract is not the repository's: the service must not start."""


class RegistryUnavailable(RuntimeError):
    """The registry did not answer: retry later, never dead-letter because of it."""


class Undecodable(ValueError):
    """A record that no retry will make decodable: it goes to the dead-letter topic."""


def normalized(schema, namespace=""):
    """A schema's JSON without what does not change the wire or the meaning (docs, Java hints), every
    named type under its full name, so that equal contracts compare equal however they are written."""
    if isinstance(schema, dict):
        if schema.get("type") in ("record", "enum", "fixed") and "name" in schema:
            name = schema["name"]
            namespace = schema.get("namespace", namespace) if "." not in name else name.rpartition(".")[0]
            schema = dict(schema, name=name if "." in name else f"{namespace}.{name}" if namespace else name)
            schema.pop("namespace", None)
        kept = {k: normalized(v, namespace) for k, v in schema.items()
                if k not in IGNORED and not k.startswith("avro.java")}
        # {"type": "string"} is "string" (Java's writer adds a hint to the one and leaves the other)
        return kept["type"] if list(kept) == ["type"] and isinstance(kept["type"], str) else kept
    if isinstance(schema, list):
        return [normalized(v, namespace) for v in schema]
    return schema


def inline(schema, named, namespace):
    """Replaces the first use of each referenced name by its definition, as a self-contained schema has it."""
    if isinstance(schema, str):
        full = schema if "." in schema else f"{namespace}.{schema}" if namespace else schema
        for name in (schema, full):
            if name in named:
                return named.pop(name)
        return schema
    if isinstance(schema, list):
        return [inline(v, named, namespace) for v in schema]
    if isinstance(schema, dict):
        namespace = schema.get("namespace", namespace)
        result = dict(schema)
        if "fields" in schema:
            result["fields"] = [dict(f, type=inline(f["type"], named, namespace)) for f in schema["fields"]]
        for key in ("items", "values"):
            if key in schema:
                result[key] = inline(schema[key], named, namespace)
        if isinstance(schema.get("type"), (dict, list)):
            result["type"] = inline(schema["type"], named, namespace)
        return result
    return schema


def wire_schema(schema):
    """The same schema with logical types dropped: identical bytes, raw ints and bytes to work with."""
    if isinstance(schema, dict):
        return {k: wire_schema(v) for k, v in schema.items() if k not in ("logicalType", "precision", "scale")}
    if isinstance(schema, list):
        return [wire_schema(v) for v in schema]
    return schema


def unscaled(data):
    """An Avro decimal's bytes as its unscaled integer."""
    return int.from_bytes(data, "big", signed=True)


def decimal_bytes(value):
    """An unscaled integer as an Avro decimal's bytes, exactly as Java writes them."""
    length = (value if value >= 0 else ~value).bit_length() // 8 + 1
    return value.to_bytes(length, "big", signed=True)


class Registry:
    """Apicurio Registry through its Confluent-compatible API (/apis/ccompat/v7)."""

    def __init__(self, url, timeout=5.0):
        url = url.rstrip("/")
        if url.endswith("/apis/registry/v3"):
            url = url[: -len("/apis/registry/v3")] + "/apis/ccompat/v7"
        self.url = url
        self.timeout = timeout

    def _get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=self.timeout) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise RegistryUnavailable(f"registry {self.url}{path} answered {e.code}") from None
        except (OSError, ValueError) as e:
            raise RegistryUnavailable(f"registry {self.url} does not answer: {e}") from None

    def latest(self, subject):
        """(id, schema JSON) of the subject's latest version, or None when the subject does not exist."""
        answer = self._get(f"/subjects/{subject}/versions/latest")
        return None if answer is None else (answer["id"], self._resolved(answer))

    def by_id(self, schema_id):
        """The schema JSON with this id, or None when the registry has no such id."""
        answer = self._get(f"/schemas/ids/{schema_id}")
        return None if answer is None else self._resolved(answer)

    def _resolved(self, answer):
        """The schema with the types it references (e.g. the Side enum, a subject of its own) written inline."""
        named = {}
        for reference in answer.get("references") or []:
            found = self._get(f"/subjects/{reference['subject']}/versions/{reference['version']}")
            if found is None:
                raise RegistryUnavailable(f"registry lacks {reference['subject']} v{reference['version']}")
            named[reference["name"]] = self._resolved(found)
        return inline(json.loads(answer["schema"]), named, "")


def checked(registry, subject, repo_schema_file):
    """The subject's latest id, after checking its schema is the repository's; ContractError if not."""
    with open(repo_schema_file, encoding="utf-8") as f:
        ours = json.load(f)
    found = registry.latest(subject)
    if found is None:
        raise ContractError(f"subject {subject} is not in the registry at {registry.url} (register the schemas first)")
    schema_id, theirs = found
    if normalized(theirs) != normalized(ours):
        raise ContractError(f"the registry's {subject} (id {schema_id}) differs from {repo_schema_file};"
                            f" deploy the strategy built with the contracts the pipeline runs")
    return schema_id, ours


class RecordReader:
    """Reads Avro binary written with exactly one record schema, without schema resolution.

    python-avro's DatumReader walks the schema for every datum, field by field through generic
    calls: 84 % of the time qrs spent on a price went there. The writer of almost every price is
    the one contract checked against the registry at start, so its fields are turned here, once,
    into a list of small functions. Only what a flat record of primitives needs is known (string,
    bytes, int, long, boolean, float, double, null, an enum's symbol, and a union of such); a
    schema with anything else raises Unsupported, and its data is read by python-avro instead.
    """

    class Unsupported(ValueError):
        pass

    def __init__(self, schema):
        if not isinstance(schema, dict) or schema.get("type") != "record":
            raise RecordReader.Unsupported("not a record")
        self.fields = [(f["name"], self._reader(f["type"])) for f in schema["fields"]]

    def read(self, data, pos=0):
        """The record as a dict, decoded from data[pos:]; IndexError or ValueError for bad bytes."""
        record = {}
        for name, read in self.fields:
            record[name], pos = read(data, pos)
        return record

    @classmethod
    def _reader(cls, schema):
        if isinstance(schema, dict) and schema.get("type") == "enum":
            symbols = list(schema["symbols"])

            def read_enum(data, pos):
                index, pos = read_long(data, pos)
                return symbols[index], pos   # an IndexError for an index past the symbols
            return read_enum
        if isinstance(schema, dict) and isinstance(schema.get("type"), str):
            return cls._reader(schema["type"])
        if isinstance(schema, list):
            branches = [cls._reader(branch) for branch in schema]

            def read_union(data, pos):
                index, pos = read_long(data, pos)
                if index < 0:
                    raise ValueError(f"union branch {index}")
                return branches[index](data, pos)
            return read_union
        primitive = PRIMITIVES.get(schema) if isinstance(schema, str) else None
        if primitive is None:
            raise RecordReader.Unsupported(f"type {schema!r}")
        return primitive


def read_long(data, pos):
    """A zig-zag varint (Avro's int and long) at data[pos]: (value, next position)."""
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    shift = 7
    while byte & 0x80:
        if shift > 63:
            raise ValueError("a varint longer than a long")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
    return (value >> 1) ^ -(value & 1), pos


def read_bytes(data, pos):
    length, pos = read_long(data, pos)
    end = pos + length
    if length < 0 or end > len(data):
        raise ValueError(f"a length of {length} bytes where {len(data) - pos} are left")
    return bytes(data[pos:end]), end


def read_string(data, pos):
    raw, pos = read_bytes(data, pos)
    return raw.decode("utf-8"), pos


def read_boolean(data, pos):
    return data[pos] != 0, pos + 1


PRIMITIVES = {
    "null": lambda data, pos: (None, pos),
    "boolean": read_boolean,
    "int": read_long,
    "long": read_long,
    "float": lambda data, pos: (struct.unpack_from("<f", data, pos)[0], pos + 4),
    "double": lambda data, pos: (struct.unpack_from("<d", data, pos)[0], pos + 8),
    "bytes": read_bytes,
    "string": read_string,
}


class PriceDecoder:
    """Decodes prices written with any version the registry knows, into the repository's shape.

    A price written with the repository's own contract (the schema id checked at start, or any id
    whose schema is the same) is read by a RecordReader; any other writer schema is resolved
    against ours by python-avro.
    """

    def __init__(self, registry, schema_id, schema):
        self.registry = registry
        self.schema = schema
        self.reader_schema = avro.schema.parse(json.dumps(wire_schema(schema)))
        self.readers = {schema_id: self._read_with(schema)}

    def decode(self, data):
        if data is None:
            raise Undecodable("invalid: empty value (tombstone)")
        if len(data) < 5 or data[0] != 0:
            raise Undecodable("undecodable: not the Confluent wire format (no magic byte 0 and schema id)")
        schema_id = struct.unpack_from(">I", data, 1)[0]
        read = self.readers.get(schema_id)
        if read is None:
            read = self._reader(schema_id)
        try:
            return read(data, 5)
        except Exception as e:  # bad bytes raise many kinds, in either reader
            raise Undecodable(f"undecodable: {type(e).__name__}: {e}") from None

    def _reader(self, schema_id):
        writer = self.registry.by_id(schema_id)  # RegistryUnavailable propagates: retried, not dead-lettered
        if writer is None:
            raise Undecodable(f"undecodable: schema id {schema_id} is not in the registry")
        try:
            read = self._read_with(writer)
        except Exception as e:
            raise Undecodable(f"undecodable: schema id {schema_id} cannot be read as a Price: {e}") from None
        self.readers[schema_id] = read
        return read

    def _read_with(self, writer):
        """How to read data written with this schema: directly if it is ours, else resolved by python-avro."""
        if normalized(writer) == normalized(self.schema):
            try:
                return RecordReader(wire_schema(self.schema)).read
            except RecordReader.Unsupported:
                pass
        resolving = avro.io.DatumReader(avro.schema.parse(json.dumps(wire_schema(writer))), self.reader_schema)

        def read(data, pos):
            return resolving.read(avro.io.BinaryDecoder(io.BytesIO(data[pos:])))
        return read


class OrderEncoder:
    def __init__(self, schema_id, schema):
        self.prefix = b"\0" + struct.pack(">I", schema_id)
        self.writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(wire_schema(schema))))

    def encode(self, order):
        buffer = io.BytesIO()
        buffer.write(self.prefix)
        self.writer.write(order, avro.io.BinaryEncoder(buffer))
        return buffer.getvalue()


def price_problem(key, price):
    """What makes a decoded price unusable (as trading.schema.PriceChecks says), or None."""
    ticker = price.get("ticker")
    if not ticker or not ticker.strip():
        return "ticker is empty"
    if ticker != key:
        return f"key '{key}' is not the ticker '{ticker}'"
    if unscaled(price["price"]) <= 0:
        return "price must be positive"
    if unscaled(price["size"]) < 0:
        return "size must not be negative"
    if price["sequence"] <= 0:
        return f"sequence must be positive, was {price['sequence']}"
    if not price.get("source") or not price["source"].strip():
        return "source is empty"
    return None
