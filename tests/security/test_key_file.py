"""The key file: without it nothing encrypted can be read, so it is never left half-written."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ridni.security import keys
from ridni.security.keys import KeyRing


def test_the_key_file_is_private_and_loads_back(tmp_path: Path) -> None:
    ring = KeyRing.generate()
    path = tmp_path / "folder" / "keys.json"
    keys.save(ring, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.load(path).to_json() == ring.to_json()
    assert [p.name for p in path.parent.iterdir()] == ["keys.json"]


def test_a_rotation_that_fails_while_writing_keeps_the_old_file_and_leaves_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = KeyRing.generate()
    path = tmp_path / "keys.json"
    keys.save(old, path)
    before = path.read_bytes()

    def disk_full(self: KeyRing) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(KeyRing, "to_json", disk_full)
    with pytest.raises(Exception, match="No space left"):
        keys.save(old.rotated(), path)
    assert path.read_bytes() == before, "the old key file is untouched"
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"], "no partial file left"
