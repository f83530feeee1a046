"""A file a command writes (``ridni link``'s pairs, an export, a backup): checked before the
command's work, and written whole or not at all.

:func:`check_output` refuses, in one line, what the file could not be written to — a folder,
a device or a pipe, one of the command's own inputs, a folder it cannot create or write into —
so a long run never ends by failing at its last step. :func:`writing_whole` writes
``NAME.part`` beside the file and renames it when complete: a failure, a full disk or Ctrl-C
removes the ``.part``, so what exists under the name asked for is always whole (an earlier file
of that name stays as it was).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ridni.errors import InputError

_GIVE_A_FILE = "give a file name"


def part_of(path: Path) -> Path:
    """Where ``path`` is written until it is complete."""
    return path.with_name(path.name + ".part")


def _cannot(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot write {path}: {exc.strerror or exc}")


def check_output(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work, an output that cannot be written or would replace an input.

    A missing folder is created; the ``.part`` the file is written to is tried now."""
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder", _GIVE_A_FILE)
    if path.exists() and not path.is_file():
        # Renaming over it would replace the device or the pipe, not write into it.
        raise InputError(
            f"cannot write {path}: it is not a regular file (a device or a pipe)", _GIVE_A_FILE
        )
    target = path.resolve()
    if any(target == given.resolve() for given in inputs):
        raise InputError(
            f"cannot write {path}: it is also an input",
            "choose another file: the input would be overwritten",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a folder of the path should be
        raise InputError(f"cannot write {path}: {os.strerror(errno.ENOTDIR)}") from None
    except OSError as exc:
        raise _cannot(path, exc) from None
    part = part_of(path)
    try:  # the file the result is first written to, tried now rather than after the work
        _open_part(part, None).close()
        part.unlink()
    except OSError as exc:
        raise _cannot(path, exc) from None


def _open_part(part: Path, mode: int | None) -> BinaryIO:
    """``part`` created afresh (a stale one of a killed run is removed first), with ``mode``
    from its first byte when given."""
    part.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    descriptor = os.open(part, flags, 0o666 if mode is None else mode)
    if mode is not None:
        os.fchmod(descriptor, mode)  # exactly this mode, whatever the umask
    return os.fdopen(descriptor, "wb")


@contextmanager
def writing_whole(path: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A file to write ``path``'s content into: ``NAME.part``, renamed to ``path`` when the block
    ends, removed if it raises (Ctrl-C included). ``mode``, e.g. ``0o600``, applies from the
    first byte. Failing to write is one line (:class:`InputError`)."""
    part = part_of(path)
    try:
        handle = _open_part(part, mode)
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # whole on disk before it carries the name
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.filename is not None and str(exc.filename) not in (str(part), str(path)):
            raise  # about another file the work read, not about writing this one
        raise _cannot(path, exc) from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
