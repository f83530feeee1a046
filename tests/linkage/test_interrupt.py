"""Ctrl-C during `ridni link`: one line, exit code 130, and no file half written."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from splink.internals.exceptions import SplinkException
from typer.testing import CliRunner

from ridni.cli.main import app
from ridni.errors import Interrupted
from ridni.linkage import batch
from ridni.linkage.batch import link_files
from ridni.linkage.guards import interruptible


def _ctrl_c_at(wanted: str) -> object:
    def phase(name: str) -> None:
        if name.startswith(wanted):
            raise KeyboardInterrupt

    return phase


@pytest.mark.parametrize("phase", ["scoring candidate pairs", "writing"])
def test_ctrl_c_while_linking_writes_nothing_and_keeps_an_earlier_file(
    small_files: Path, tmp_path: Path, phase: str
) -> None:
    out = tmp_path / "pairs.csv"
    out.write_text("an earlier run's pairs\n", encoding="utf-8")
    with pytest.raises(Interrupted, match="interrupted — nothing written"):
        link_files(
            small_files / "family.csv",
            small_files / "registry.csv",
            out,
            phase=_ctrl_c_at(phase),  # type: ignore[arg-type]
        )
    assert out.read_text(encoding="utf-8") == "an earlier run's pairs\n"
    assert not list(tmp_path.glob("*.part"))


def _splink_stopped_by_ctrl_c() -> None:
    try:
        raise duckdb.InterruptException("Query interrupted")
    except duckdb.InterruptException as exc:
        raise SplinkException("Error executing the following sql … SELECT …") from exc


def _splink_failing() -> None:
    raise SplinkException("something else")


def test_a_query_duckdb_stopped_for_ctrl_c_is_an_interruption_not_splinks_sql() -> None:
    """DuckDB stops its query on SIGINT; Splink wraps that with the whole SQL."""
    guard = interruptible("nothing written")
    with pytest.raises(Interrupted), guard:
        _splink_stopped_by_ctrl_c()
    other = interruptible("nothing written")
    with pytest.raises(SplinkException), other:  # other failures are not disguised as Ctrl-C
        _splink_failing()


def test_the_command_says_it_in_one_line_with_exit_code_130(
    small_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stopped(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "link_files", stopped)
    result = CliRunner().invoke(
        app,
        [
            "link",
            str(small_files / "family.csv"),
            str(small_files / "registry.csv"),
            "--out",
            str(tmp_path / "pairs.csv"),
        ],
    )
    assert result.exit_code == 130
    assert "error: interrupted" in result.output and "Traceback" not in result.output
