"""Files encrypted at rest: AES-256-GCM over 1 MiB chunks (a STREAM construction), so a file
of any size is sealed without holding it in memory, and a chunk cut, reordered or altered is
caught on reading.

Layout: ``RDNF1`` ‖ key-id length (1 byte) ‖ key id ‖ 8-byte nonce prefix ‖ chunks, each
``length (4 bytes) ‖ ciphertext+tag``; the nonce is the prefix ‖ chunk number, and the last
chunk is authenticated as last.
"""

from __future__ import annotations

import secrets
import struct
from collections.abc import Iterator
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ridni.errors import ConfigurationError, DatabaseError
from ridni.security.keys import KeyRing

MAGIC = b"RDNF1"
CHUNK = 1024 * 1024
_LAST, _MORE = b"last", b"more"


class FileIntegrityError(DatabaseError):
    """A stored file no longer decrypts: altered, truncated or not ours."""


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def encrypt_stream(ring: KeyRing, source: Readable, target: BinaryIO) -> None:
    """Seal ``source`` into ``target`` under the primary key."""
    key_id = ring.primary.encode("ascii")
    prefix = secrets.token_bytes(8)
    target.write(MAGIC + bytes([len(key_id)]) + key_id + prefix)
    aead = AESGCM(ring.data_keys[ring.primary])
    number = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        last = not following
        sealed = aead.encrypt(_nonce(prefix, number), chunk, _LAST if last else _MORE)
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        chunk, number = following, number + 1


def decrypt_stream(ring: KeyRing, source: BinaryIO, name: str = "file") -> Iterator[bytes]:
    """The plaintext of a sealed file, chunk by chunk; raises on any alteration."""
    head = source.read(len(MAGIC) + 1)
    if len(head) != len(MAGIC) + 1 or not head.startswith(MAGIC):
        raise FileIntegrityError(f"{name} is not a file Ridni encrypted")
    key_id = source.read(head[-1]).decode("ascii", "replace")
    key = ring.data_keys.get(key_id)
    if key is None:
        raise ConfigurationError(f"{name} needs key {key_id!r}, which the key file lacks")
    prefix = source.read(8)
    aead = AESGCM(key)
    number = 0
    size = source.read(4)
    while True:
        if len(size) != 4:
            raise FileIntegrityError(f"{name} was cut short")
        sealed = source.read(struct.unpack(">I", size)[0])
        size = source.read(4)  # the next chunk's length, or nothing after the last chunk
        last = not size
        try:
            yield aead.decrypt(_nonce(prefix, number), sealed, _LAST if last else _MORE)
        except InvalidTag:
            raise FileIntegrityError(f"{name} was altered (chunk {number})") from None
        if last:
            return
        number += 1
