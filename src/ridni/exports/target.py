"""Where a command-line export goes: checked before the export's work, written whole or not at all.

``--out`` is checked first (a directory is refused; a missing folder is created, as
`ridni link` does; a folder that cannot hold the file is one clear line), so an export is never
produced only to fail at its last step. The file is written beside its target as
``.NAME.part`` and renamed when complete: a failure, a full disk or Ctrl-C leaves no partial
export under the name asked for.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from ridni.errors import InputError


def _cannot(path: Path, problem: str | None) -> InputError:
    return InputError(f"cannot write {path}: {problem or 'not writable'}")


def check_target(path: Path) -> None:
    """Refuse in one line, before any work, an ``--out`` the export could not be written to."""
    if path.is_dir():
        raise InputError(
            f"cannot write {path}: it is a directory",
            f"give a file name, e.g. {path / 'export.csv'}",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a folder of the path should be
        raise _cannot(path, os.strerror(errno.ENOTDIR)) from None
    except OSError as exc:
        raise _cannot(path, exc.strerror) from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise _cannot(path, os.strerror(errno.EACCES))


def write_whole(path: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path`` through a temporary file renamed when complete."""
    check_target(path)
    temporary = path.with_name(f".{path.name}.part")
    try:
        with temporary.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _cannot(path, exc.strerror) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
