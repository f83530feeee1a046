"""`ridni link --top K`: a child whose surname was changed scores below 0.01 yet ranks first
among its namesakes; without the option the family never sees it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ridni.cli.main import app


def _link(lists: tuple[Path, Path, Path], out: Path, *options: str) -> list[tuple[str, str, float]]:
    family, registry, model = lists
    result = CliRunner().invoke(
        app,
        ["link", str(family), str(registry), "--out", str(out), "--model", str(model), *options],
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        return [
            (row["left_id"], row["right_id"], float(row["match_probability"]))
            for row in csv.DictReader(handle)
        ]


def test_the_adopted_child_is_written_only_with_top(
    adopted_lists: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    plain = _link(adopted_lists, tmp_path / "plain.csv")
    assert [(left, right) for left, right, _ in plain] == [("f2", "r2")]

    top1 = _link(adopted_lists, tmp_path / "top1.csv", "--top", "1")
    assert [(left, right) for left, right, _ in top1] == [("f1", "r1"), ("f2", "r2")]
    assert 0 < top1[0][2] < 0.01  # written although below the contract's floor
    assert top1[1] == plain[0]  # a record with a strong candidate is written as before


def test_top_k_writes_up_to_k_best_per_record_best_first(
    adopted_lists: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pairs = _link(adopted_lists, tmp_path / "top2.csv", "--top", "2")
    f1 = [(right, probability) for left, right, probability in pairs if left == "f1"]
    assert [right for right, _ in f1] == ["r1", "r5"]
    assert f1[0][1] > f1[1][1]
    # f2's candidates below 0.01 are written too, but never more than two in all.
    assert len([p for p in pairs if p[0] == "f2"]) <= 2
    assert ("f2", "r2") in {(left, right) for left, right, _ in pairs}


@pytest.mark.parametrize("value", ["-1", "1001", "many"])
def test_a_top_out_of_range_is_refused_before_any_work(
    adopted_lists: tuple[Path, Path, Path], tmp_path: Path, value: str
) -> None:
    family, registry, _ = adopted_lists
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(
        app, ["link", str(family), str(registry), "--out", str(out), "--top", value]
    )
    assert result.exit_code != 0
    assert "--top" in result.output or "'--top'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
