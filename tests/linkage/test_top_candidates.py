"""`ridni link --top K`: a child whose surname was changed scores below 0.01 yet ranks first
among its namesakes; without the option the family never sees it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ridni.cli.main import app
from ridni.linkage.model import default_model_path

HEADER = "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A family list, a registry where f1's child (r1) was adopted under a new surname and
    written with its birth year only, and a model expecting few matches (as in a big
    registry), so r1 falls below 0.01 while still ranking above its namesake r5."""
    family = tmp_path / "family.csv"
    family.write_text(
        HEADER + "f1,Олена,Коваленко,Петрівна,F,2012-03-14,Маріуполь\n"
        "f2,Андрій,Шевченко,Іванович,M,2010-07-02,Бердянськ\n",
        encoding="utf-8",
    )
    registry = tmp_path / "registry.csv"
    registry.write_text(
        HEADER + "r1,Елена,Смирнова,,F,2012,\n"
        "r2,Андрей,Шевченко,Иванович,M,2010-07-02,Бердянск\n"
        "r3,Мария,Иванова,,F,2011-01-05,Донецк\n"
        "r4,Елена,Кузнецова,Сергеевна,F,2009-05-05,Луганск\n"
        "r5,Олена,Мельник,,F,2012-11-30,\n",
        encoding="utf-8",
    )
    model = json.loads(default_model_path().read_text(encoding="utf-8"))
    model["match_rate"] = 0.002
    model_path = tmp_path / "model.json"
    model_path.write_text(json.dumps(model), encoding="utf-8")
    return family, registry, model_path


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
    lists: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    plain = _link(lists, tmp_path / "plain.csv")
    assert [(left, right) for left, right, _ in plain] == [("f2", "r2")]

    top1 = _link(lists, tmp_path / "top1.csv", "--top", "1")
    assert [(left, right) for left, right, _ in top1] == [("f1", "r1"), ("f2", "r2")]
    assert 0 < top1[0][2] < 0.01  # written although below the contract's floor
    assert top1[1] == plain[0]  # a record with a strong candidate is written as before


def test_top_k_writes_up_to_k_best_per_record_best_first(
    lists: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    pairs = _link(lists, tmp_path / "top2.csv", "--top", "2")
    f1 = [(right, probability) for left, right, probability in pairs if left == "f1"]
    assert [right for right, _ in f1] == ["r1", "r5"]
    assert f1[0][1] > f1[1][1]
    # f2's candidates below 0.01 are written too, but never more than two in all.
    assert len([p for p in pairs if p[0] == "f2"]) <= 2
    assert ("f2", "r2") in {(left, right) for left, right, _ in pairs}


@pytest.mark.parametrize("value", ["-1", "1001", "many"])
def test_a_top_out_of_range_is_refused_before_any_work(
    lists: tuple[Path, Path, Path], tmp_path: Path, value: str
) -> None:
    family, registry, _ = lists
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(
        app, ["link", str(family), str(registry), "--out", str(out), "--top", value]
    )
    assert result.exit_code != 0
    assert "--top" in result.output or "'--top'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
