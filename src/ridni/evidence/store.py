"""Where evidence files live: originals immutable under their SHA-256, working copies apart.

An original is written once to ``evidence/originals/ab/abcdef…`` (content-addressed, read-only);
anything a person opens, annotates or converts is a working copy under ``evidence/working/``, so
no analysis can ever touch what was collected (Berkeley Protocol: preserve the original).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ridni.errors import InputError
from ridni.i18n import N_
from ridni.imports.uploads import shown_name
from ridni.security.files import FileIntegrityError, decrypt_stream, encrypt_stream
from ridni.security.keys import KeyRing

CHUNK = 1024 * 1024
# Formats whose first bytes are fixed: a ".pdf" that is not a PDF is refused.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
}


@dataclass(frozen=True, slots=True)
class StoredFile:
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    stored_path: str  # relative to the data directory
    created: bool  # False when an identical original was already stored


def extension(filename: str) -> str:
    return Path(filename).suffix.lower().lstrip(".")


def safe_name(filename: str) -> str:
    """The name as uploaded, safe to keep, show and send in a header: its last part only (it
    cannot climb out of a folder), without control or invisible characters (a NUL breaks the
    download's Content-Disposition), by the rule of the import page."""
    return shown_name(filename, fallback="file")


class EvidenceStore:
    def __init__(
        self, data_dir: Path, *, max_bytes: int, extensions: frozenset[str], ring: KeyRing
    ) -> None:
        self.root = data_dir / "evidence"
        self.ring = ring
        self.max_bytes = max_bytes
        self.extensions = extensions

    def path_of(self, stored_path: str) -> Path:
        return self.root.parent / stored_path

    def check_name(self, filename: str) -> str:
        name = safe_name(filename)
        kind = extension(name)
        if kind not in self.extensions:
            allowed = ", ".join(sorted(self.extensions))
            raise InputError(
                N_("{name}: files of type “{kind}” are not accepted as evidence"),
                N_("accepted: {allowed}"),
                name=name,
                kind=kind or "—",
                allowed=allowed,
            )
        return name

    def ingest(self, stream: BinaryIO, filename: str) -> StoredFile:
        """Encrypt while hashing the plaintext; refuse too large or mislabelled files, leaving
        nothing behind. The original is stored once, sealed, under its plaintext SHA-256."""
        name = self.check_name(filename)
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        reader = _Measured(stream, name, self.max_bytes)
        handle, temp_name = tempfile.mkstemp(dir=incoming)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                encrypt_stream(self.ring, reader, out)
            if reader.size == 0:
                raise InputError(N_("{name} is empty"), name=name)
            self._check_signature(name, reader.first)
            sha = reader.digest.hexdigest()
            relative = f"evidence/originals/{sha[:2]}/{sha}"
            target = self.path_of(relative)
            created = not target.exists()
            if created:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temp, target)
                target.chmod(stat.S_IRUSR | stat.S_IRGRP)
        finally:
            temp.unlink(missing_ok=True)
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StoredFile(name, media_type, reader.size, sha, relative, created)

    def read(self, stored_path: str) -> Iterator[bytes]:
        """The original's content, decrypted chunk by chunk."""
        with self.path_of(stored_path).open("rb") as handle:
            yield from decrypt_stream(self.ring, handle, stored_path)

    @staticmethod
    def _check_signature(name: str, first: bytes) -> None:
        expected = SIGNATURES.get(extension(name))
        if expected and not first.startswith(expected):
            raise InputError(
                N_("{name} does not contain what its name says ({kind})"),
                name=name,
                kind=extension(name),
            )

    def discard(self, stored: StoredFile) -> None:
        """Undo an ingest whose database row was not saved (only if this ingest created it)."""
        if stored.created:
            target = self.path_of(stored.stored_path)
            if target.exists():
                target.chmod(stat.S_IRUSR | stat.S_IWUSR)
                target.unlink()

    def hash_of(self, stored_path: str) -> str | None:
        """SHA-256 of a stored original's content now, ``None`` if it is gone, and a marker
        that matches nothing if it no longer decrypts (it was altered)."""
        if not self.path_of(stored_path).is_file():
            return None
        digest = hashlib.sha256()
        try:
            for chunk in self.read(stored_path):
                digest.update(chunk)
        except FileIntegrityError:
            return "altered: does not decrypt"
        return digest.hexdigest()

    def working_copy(self, stored_path: str, evidence_id: int, filename: str) -> Path:
        """A writable, decrypted copy to analyse; the sealed original stays untouched."""
        folder = self.root / "working" / str(evidence_id)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / safe_name(filename)
        with target.open("wb") as out:
            for chunk in self.read(stored_path):
                out.write(chunk)
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
        return target


class _Measured:
    """A reader that hashes, counts and bounds what passes through it."""

    def __init__(self, stream: BinaryIO, name: str, limit: int) -> None:
        self.stream, self.name, self.limit = stream, name, limit
        self.digest = hashlib.sha256()
        self.size = 0
        self.first = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        if chunk and not self.first:
            self.first = chunk[:16]
        self.size += len(chunk)
        if self.size > self.limit:
            raise InputError(
                N_("{name} is larger than the limit of {size} MiB"),
                N_("split it, or ask an administrator to raise RIDNI_EVIDENCE_MAX_MB"),
                name=self.name,
                size=self.limit // CHUNK,
            )
        self.digest.update(chunk)
        return chunk
