"""Files uploaded on the import page, kept between the mapping, preview and import steps.

They hold personal data: stored under the data directory with random names, deleted after the
import, and any left behind (an abandoned preview) deleted after a day. People see the name
they uploaded (:func:`shown_name`), never the stored one.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ridni.errors import InputError, NotFoundError
from ridni.form_input import clean_text, without_controls
from ridni.i18n import N_

SUFFIXES = (".csv", ".txt", ".xlsx")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
MAX_AGE = 24 * 3600
CHUNK = 1 << 20
MAX_NAME = 200
FOLDERS = re.compile(r"[/\\]")


@dataclass(frozen=True, slots=True)
class Upload:
    token: str
    path: Path
    file_name: str
    source: str
    kind: str


def folder(data_dir: Path) -> Path:
    path = data_dir / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _sweep(where: Path) -> None:
    cutoff = time.time() - MAX_AGE
    for item in where.iterdir():
        if item.stat().st_mtime < cutoff:
            item.unlink(missing_ok=True)


def shown_name(file_name: str, fallback: str = "list") -> str:
    """The uploaded file's name as people may see it: it is the uploader's input, so only its
    last part (some browsers send a whole path, with / or \\), without control or invisible
    characters, shortened to ``MAX_NAME`` characters (keeping its extension); ``fallback`` if
    nothing is left. Evidence files are named by the same rule (``ridni.evidence.store``)."""
    last = FOLDERS.split(file_name)[-1]
    name = " ".join(without_controls(last, invisible=True).split())
    if name.strip(".") == "":
        return fallback
    if len(name) > MAX_NAME:
        suffix = Path(name).suffix[:20]
        name = name[: MAX_NAME - len(suffix) - 1] + "…" + suffix
    return name


def save(
    data_dir: Path, stream: BinaryIO, file_name: str, source: str, kind: str, max_mb: int
) -> Upload:
    file_name = shown_name(file_name)
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(N_("{name}: only .csv and .xlsx lists can be imported"), name=file_name)
    source = clean_text(source)  # as the import stores it (imports.runner.source_title)
    if not source:
        raise InputError(N_("name the source of the list (who made it, where it was found)"))
    where = folder(data_dir)
    _sweep(where)
    token = secrets.token_urlsafe(16)
    path = where / f"{token}{suffix}"
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_mb * CHUNK:
                out.close()
                path.unlink(missing_ok=True)
                raise InputError(
                    N_("{name} is larger than {size} MiB"),
                    N_("import it with `ridni import` on the server"),
                    name=file_name,
                    size=max_mb,
                )
            out.write(chunk)
    meta = {"file_name": file_name, "source": source, "kind": kind}
    (where / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return Upload(token, path, meta["file_name"], meta["source"], kind)


GONE = N_(
    "this uploaded list is no longer here: it is deleted once imported, or after a day "
    "without being imported"
)
UPLOAD_AGAIN = N_("see the imports below, or upload the file again")


def find(data_dir: Path, token: str) -> Upload:
    """The upload ``token`` names; :class:`NotFoundError` (:data:`GONE`) once it is gone."""
    if not TOKEN.match(token):
        raise NotFoundError(GONE, UPLOAD_AGAIN)
    where = folder(data_dir)
    meta_path = where / f"{token}.json"
    files = [p for p in where.glob(f"{token}.*") if p.suffix != ".json"]
    if not meta_path.is_file() or not files:
        raise NotFoundError(GONE, UPLOAD_AGAIN)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return Upload(token, files[0], meta["file_name"], meta["source"], meta["kind"])


def discard(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)
    upload.path.with_suffix(".json").unlink(missing_ok=True)
