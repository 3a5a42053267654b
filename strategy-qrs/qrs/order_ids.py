"""Order ids exactly as the Java strategies derive them (trading.schema.OrderIds).

UUID.nameUUIDFromBytes: the MD5 of strategy NUL ticker NUL source NUL sequence (UTF-8), with
the version (3) and IETF variant bits set; no namespace. Reprocessing a price gives the same id.
"""
import hashlib
import uuid


def derive(strategy, ticker, source, sequence):
    identity = f"{strategy}\0{ticker}\0{source}\0{sequence}".encode("utf-8")
    digest = bytearray(hashlib.md5(identity).digest())
    digest[6] = (digest[6] & 0x0F) | 0x30
    digest[8] = (digest[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(digest)))
