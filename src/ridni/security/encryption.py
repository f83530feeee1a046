"""Field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA-256).

A value is stored as ``v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``; the column's name is
authenticated with it, so a value copied into another column does not decrypt. The key ring is
attached to the engine when the database is opened; the column type finds it there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Dialect, Text, TypeDecorator

from ridni.errors import ConfigurationError, DatabaseError
from ridni.security.keys import KeyRing

PREFIX = "v1"
NONCE_BYTES = 12
_RING_ATTRIBUTE = "ridni_keyring"


def attach(dialect: Dialect, ring: KeyRing | None) -> None:
    setattr(dialect, _RING_ATTRIBUTE, ring)


def ring_of(dialect: Dialect) -> KeyRing:
    ring: KeyRing | None = getattr(dialect, _RING_ATTRIBUTE, None)
    if ring is None:
        raise ConfigurationError(
            "no encryption keys are loaded for this database",
            "set RIDNI_KEY_FILE, or create keys with `ridni keys init`",
        )
    return ring


def encrypt(ring: KeyRing, context: str, plaintext: str) -> str:
    return _seal(AESGCM(ring.data_keys[ring.primary]), ring.primary, context, plaintext)


def _seal(cipher: AESGCM, key: str, context: str, plaintext: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext.encode("utf-8"), context.encode("ascii"))
    return f"{PREFIX}:{key}:{base64.b64encode(nonce + sealed).decode('ascii')}"


class Sealer:
    """:func:`encrypt` for many values (bulk imports): the cipher is set up once for the
    primary key instead of once per value. The output is the same, as a :class:`Sealed`
    value that an :class:`Encrypted` column stores as it is."""

    def __init__(self, ring: KeyRing) -> None:
        self._key = ring.primary
        self._cipher = AESGCM(ring.data_keys[ring.primary])

    def seal(self, context: str, plaintext: str) -> Sealed:
        return Sealed(_seal(self._cipher, self._key, context, plaintext))


def key_id(stored: str) -> str | None:
    parts = stored.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def decrypt(ring: KeyRing, context: str, stored: str) -> str:
    parts = stored.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DatabaseError(f"a value in {context} is not encrypted as Ridni expects")
    key = ring.data_keys.get(parts[1])
    if key is None:
        raise ConfigurationError(
            f"a value in {context} needs key {parts[1]!r}, which the key file lacks",
            "restore the key file that was used before the last rotation",
        )
    raw = base64.b64decode(parts[2])
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("ascii"))
    except InvalidTag:
        raise DatabaseError(
            f"a value in {context} failed its integrity check",
            "it was altered, or encrypted with another key file",
        ) from None
    return plain.decode("utf-8")


class Sealed(str):
    """A value that is already ciphertext (from a backup): stored as it is."""


class Encrypted(TypeDecorator[str]):
    """A text column stored encrypted; reads and writes see plain text."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return str(value)
        return encrypt(ring_of(dialect), self.context, value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt(ring_of(dialect), self.context, value)


def blind_token(ring: KeyRing, word: str) -> int:
    """A keyed digest of a normalised word: equal words give equal tokens, and the token says
    nothing about the word without the key. The first 64 bits of HMAC-SHA256, as a signed
    BIGINT: a quarter of the key size of the 128-bit hex text it replaced and about half its
    insert cost (migration 0012). Two distinct words among a million records' ~5.5M share a
    token with probability ~1e-6; a shared token only adds a record to a search whose other
    words, and the person reading the results, still tell them apart."""
    digest = hmac.new(ring.blind_index_key, word.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
