"""An output file: refused in one line before the work, written whole or not at all."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest

from ridni.errors import InputError
from ridni.output_file import check_output, part_of, writing_whole


def test_a_folder_a_pipe_a_device_or_an_input_is_refused(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    given = tmp_path / "list.csv"
    given.write_text("id\n", encoding="utf-8")
    alias = tmp_path / "alias.csv"
    alias.symlink_to(given)
    for path, inputs, message in (
        (tmp_path, [], f"cannot write {tmp_path}: it is a folder"),
        (pipe, [], f"cannot write {pipe}: it is not a regular file (a device or a pipe)"),
        (Path("/dev/null"), [], "cannot write /dev/null: it is not a regular file"),
        (alias, [given], f"cannot write {alias}: it is also an input"),
    ):
        with pytest.raises(InputError) as refused:
            check_output(path, inputs)
        assert refused.value.message.startswith(message), refused.value.message
        assert refused.value.hint
    assert pipe.is_fifo() and given.read_text(encoding="utf-8") == "id\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alias.csv", "list.csv", "pipe.csv"]


def test_a_missing_folder_is_created_and_a_file_in_the_way_named(tmp_path: Path) -> None:
    check_output(tmp_path / "new" / "deeper" / "pairs.csv")
    assert list((tmp_path / "new" / "deeper").iterdir()) == [], "the .part tried is removed"
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot write .*a-file/x\.csv: Not a directory$"):
        check_output(blocker / "x.csv")


def test_a_folder_that_cannot_be_written_into_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    # root writes into any folder of its own, but not into the kernel's
    out = locked / "x.csv" if os.geteuid() != 0 else Path("/sys/ridni-x.csv")
    try:
        with pytest.raises(InputError, match=rf"^cannot write {re.escape(str(out))}: \w"):
            check_output(out)
    finally:
        locked.chmod(0o700)
    assert not out.exists() and not part_of(out).exists()


def test_ctrl_c_while_writing_leaves_no_part_and_an_earlier_file_as_it_was(
    tmp_path: Path,
) -> None:
    out = tmp_path / "x.csv"
    out.write_bytes(b"earlier\n")

    def stopped_half_way() -> None:
        with writing_whole(out) as handle:
            handle.write(b"half")
            assert part_of(out).exists() and out.read_bytes() == b"earlier\n"
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        stopped_half_way()
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
    assert out.read_bytes() == b"earlier\n"


def _raising_inside(out: Path, error: OSError) -> None:
    with writing_whole(out):
        raise error


def test_a_full_disk_is_one_line_and_another_files_error_is_left_as_it_is(
    tmp_path: Path,
) -> None:
    out = tmp_path / "x.csv"
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(InputError, match=r"cannot write .*x\.csv: No space left on device$"):
        _raising_inside(out, full)
    other = FileNotFoundError(errno.ENOENT, "No such file", str(tmp_path / "missing.pdf"))
    with pytest.raises(FileNotFoundError):  # the work's own failure, not the output's
        _raising_inside(out, other)
    assert list(tmp_path.iterdir()) == []


def test_a_mode_applies_from_the_first_byte_even_over_a_stale_part(tmp_path: Path) -> None:
    out = tmp_path / "b.ridni-backup"
    part_of(out).write_bytes(b"a killed run's half")
    part_of(out).chmod(0o644)
    with writing_whole(out, mode=0o600) as handle:
        assert stat.S_IMODE(os.fstat(handle.fileno()).st_mode) == 0o600
        handle.write(b"whole")
    assert out.read_bytes() == b"whole" and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["b.ridni-backup"]
