"""Packaging an export: an AES-256 encrypted ZIP when it holds personal data, else the plain file.

The export is written straight into the encrypted ZIP member as it is produced, so its
plaintext never exists on disk and never whole in memory (an XLSX sheet is the exception: see
``lists.write_xlsx``). The archive itself is built in a spooled temporary file: in memory up to
``SPOOL_BYTES``, beyond that an unnamed temporary file — ciphertext either way.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

import pyzipper

from ridni.errors import InputError
from ridni.i18n import N_

SPOOL_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024
MAX_PASSWORD = 1024
MIN_REASON = 3


class WeakPassword(InputError):
    """No password, or one shorter than the setting demands (answered 422)."""


class ReasonMissing(InputError):
    """A personal-data export without a reason (answered 422)."""


def check_password(password: str | None, min_length: int) -> bytes:
    if not password:
        raise WeakPassword(
            N_("this export contains personal data and needs a password to encrypt it"),
            N_("give a password of at least {min_length} characters"),
            min_length=min_length,
        )
    if len(password) < min_length:
        raise WeakPassword(
            N_("the password is too short ({length} characters)"),
            N_("give at least {min_length} characters; a few random words are easy to pass on"),
            length=len(password),
            min_length=min_length,
        )
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(
            N_("the password is longer than {max_length} characters"), max_length=MAX_PASSWORD
        )
    return password.encode("utf-8")


def check_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if text and len(text) < MIN_REASON:
        raise ReasonMissing(
            N_("the reason {reason!r} is too short: give at least {min_length} characters"),
            N_("say why and for whom, e.g. 'verified list for the return negotiation of 3 May'"),
            reason=text,
            min_length=MIN_REASON,
        )
    if not text:
        raise ReasonMissing(
            N_("a reason is required for an export with personal data"),
            N_("say why and for whom, e.g. 'verified list for the return negotiation of 3 May'"),
        )
    return text


class _Hashing(io.RawIOBase):
    """Passes bytes on, counting them and hashing them: the export's own SHA-256."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


@dataclass
class Produced:
    """An export ready to deliver; ``body`` is positioned at its start. Close it when done."""

    filename: str  # the delivered file's name: says "encrypted" when it is
    inner_name: str  # the export's own name (inside the archive, if any)
    media_type: str
    body: IO[bytes]
    encrypted: bool
    sha256: str  # of the export itself (the CSV, XLSX or PDF)
    size: int
    delivered_sha256: str  # of what is delivered (the archive, when encrypted)

    def chunks(self) -> Any:
        while chunk := self.body.read(CHUNK):
            yield chunk
        self.body.close()

    def save(self, path: Any) -> None:
        with open(path, "wb") as handle:
            for chunk in self.chunks():
                handle.write(chunk)


def package(
    inner_name: str,
    media_type: str,
    write: Callable[[IO[bytes]], None],
    password: bytes | None,
) -> Produced:
    """Run ``write`` into an encrypted ZIP member (``password`` given) or a plain file."""
    target: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        if password is not None:
            with pyzipper.AESZipFile(
                target, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
            ) as archive:
                archive.setpassword(password)
                archive.setencryption(pyzipper.WZ_AES, nbits=256)
                with archive.open(inner_name, "w") as member:
                    hashing = _Hashing(member)
                    write(hashing)  # type: ignore[arg-type]
        else:
            hashing = _Hashing(target)
            write(hashing)  # type: ignore[arg-type]
        target.seek(0)
        delivered = hashlib.sha256()
        while chunk := target.read(CHUNK):
            delivered.update(chunk)
        target.seek(0)
    except BaseException:
        target.close()
        raise
    stem = inner_name.rsplit(".", 1)[0]
    return Produced(
        filename=f"{stem}-encrypted.zip" if password is not None else inner_name,
        inner_name=inner_name,
        media_type="application/zip" if password is not None else media_type,
        body=target,
        encrypted=password is not None,
        sha256=hashing.digest.hexdigest(),
        size=hashing.size,
        delivered_sha256=delivered.hexdigest(),
    )
