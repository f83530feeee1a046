"""The key ring: data keys for AES-GCM (one primary, older ones kept to read old values) and a
separate key for blind indexes. Kept in a key file apart from the database, so a copy of the
database alone reveals no child's name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from ridni.errors import ConfigurationError
from ridni.output_file import writing_whole

KEY_BYTES = 32
FORMAT = "ridni-keys-1"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


@dataclass(frozen=True)
class KeyRing:
    data_keys: dict[str, bytes]
    primary: str
    blind_index_key: bytes
    # Keys the audit chain's HMAC: without it nobody can forge a consistent chain.
    audit_key: bytes = b""

    def __post_init__(self) -> None:
        if not self.audit_key:
            derived = hmac.new(self.blind_index_key, b"ridni-audit-v1", hashlib.sha256).digest()
            object.__setattr__(self, "audit_key", derived)
        if self.primary not in self.data_keys:
            raise ConfigurationError("the key file names a primary key it does not contain")
        for key in [*self.data_keys.values(), self.blind_index_key, self.audit_key]:
            if len(key) != KEY_BYTES:
                raise ConfigurationError("the key file holds a key of the wrong length")

    @classmethod
    def generate(cls) -> KeyRing:
        return cls(
            {"k1": secrets.token_bytes(KEY_BYTES)},
            "k1",
            secrets.token_bytes(KEY_BYTES),
            secrets.token_bytes(KEY_BYTES),
        )

    def rotated(self) -> KeyRing:
        """A ring whose new primary key encrypts from now on; the old keys still decrypt."""
        number = 1 + max(int(name[1:]) for name in self.data_keys)
        name = f"k{number}"
        return KeyRing(
            {**self.data_keys, name: secrets.token_bytes(KEY_BYTES)}, name, self.blind_index_key
        )

    def with_blind_index_key(self, key: bytes) -> KeyRing:
        return KeyRing(self.data_keys, self.primary, key, self.audit_key)

    def retired(self) -> KeyRing:
        """Only the primary key, once nothing is encrypted under the old ones any more."""
        return KeyRing(
            {self.primary: self.data_keys[self.primary]}, self.primary, self.blind_index_key
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "primary": self.primary,
                "data_keys": {name: _b64(key) for name, key in sorted(self.data_keys.items())},
                "blind_index_key": _b64(self.blind_index_key),
                "audit_key": _b64(self.audit_key),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, where: str) -> KeyRing:
        try:
            raw = json.loads(text)
            if raw.get("format") != FORMAT:
                raise ValueError("unknown format")
            return cls(
                {name: _unb64(value) for name, value in raw["data_keys"].items()},
                raw["primary"],
                _unb64(raw["blind_index_key"]),
                _unb64(raw["audit_key"]) if "audit_key" in raw else b"",
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigurationError(
                f"{where} is not a Ridni key file ({exc})",
                "restore it from your key backup; without it encrypted data cannot be read",
            ) from None


def save(ring: KeyRing, path: Path) -> None:
    """Write the key file readable by its owner only from its first byte, replacing any old
    one only once the new one is whole on disk (:func:`ridni.output_file.writing_whole`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with writing_whole(path, mode=0o600) as handle:
        handle.write(ring.to_json().encode("utf-8"))


def load(path: Path) -> KeyRing:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the key file {path}: {exc.strerror}",
            "set RIDNI_KEY_FILE, or create keys with `ridni keys init`",
        ) from None
    return KeyRing.from_json(text, str(path))
