"""`ridni link --one-to-one`: lists that name each child at most once."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ridni.cli.main import app
from ridni.demo.linkage_set import LinkageSet
from ridni.linkage.batch import link_files
from ridni.linkage.contract import PersonRow, write_rows

HEADER = "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"


def _once(data: LinkageSet, rows: list[PersonRow]) -> list[PersonRow]:
    """Each child's first record only: a list without duplicates."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        child = data.child_of[row.record_id]
        if child not in seen:
            seen.add(child)
            kept.append(row)
    return kept


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _matches(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(r["left_id"], r["right_id"]) for r in rows if float(r["match_probability"]) >= 0.5}


@pytest.fixture(scope="module")
def deduplicated(small_set: LinkageSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("one-to-one")
    write_rows(directory / "family.csv", _once(small_set, small_set.family))
    write_rows(directory / "registry.csv", _once(small_set, small_set.registry))
    return directory


def test_on_lists_without_duplicates_it_finds_as_many_children_with_fewer_false_matches(
    small_set: LinkageSet, deduplicated: Path, tmp_path: Path
) -> None:
    family = deduplicated / "family.csv"
    registry = deduplicated / "registry.csv"
    truth = {
        (left["record_id"], right["record_id"])
        for left in _rows(family)
        for right in _rows(registry)
        if small_set.child_of[left["record_id"]] == small_set.child_of[right["record_id"]]
    }
    found = {}
    for one_to_one in (False, True):
        out = tmp_path / f"pairs-{one_to_one}.csv"
        link_files(family, registry, out, one_to_one=one_to_one)
        found[one_to_one] = _matches(_rows(out))
    pairwise, exclusive = found[False], found[True]
    assert len(exclusive & truth) >= len(pairwise & truth)
    false_pairwise, false_exclusive = len(pairwise - truth), len(exclusive - truth)
    assert false_pairwise >= 5  # namesakes the pairwise score cannot tell apart
    assert false_exclusive <= false_pairwise // 2


def test_no_record_gets_more_than_one_match_in_probability(
    deduplicated: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pairs.csv"
    link_files(deduplicated / "family.csv", deduplicated / "registry.csv", out, one_to_one=True)
    rows = _rows(out)
    for side in ("left_id", "right_id"):
        total: dict[str, float] = defaultdict(float)
        for row in rows:
            total[row[side]] += float(row["match_probability"])
        assert max(total.values()) <= 1.0 + 1e-5, side
    assert all(float(r["match_probability"]) >= 0.01 for r in rows)
    # Best first per left record, as without the option.
    for left in {r["left_id"] for r in rows}:
        scores = [float(r["match_probability"]) for r in rows if r["left_id"] == left]
        assert scores == sorted(scores, reverse=True)


def test_a_child_listed_twice_splits_the_probability_and_the_pairwise_one_is_kept(
    tmp_path: Path,
) -> None:
    """What happens when a list does hold duplicates: why the option is not the default."""
    family = tmp_path / "family.csv"
    family.write_text(
        HEADER + "f1,Марія,Коваль,Іванівна,F,2015-07-01,Маріуполь\n"
        "f2,Олександр,Шевченко,Петрович,M,2012-03-14,Херсон\n",
        encoding="utf-8",
    )
    registry = tmp_path / "registry.csv"
    registry.write_text(
        HEADER + "r1,Мария,Коваль,Ивановна,F,2015-07-01,Мариуполь\n"
        "r2,Maria,Koval,Ivanovna,F,2015-07-01,Mariupol\n"
        "r3,Александр,Шевченко,Петрович,M,2012-03-14,Херсон\n"
        "r4,Дарья,Бондаренко,,F,2010-01-09,Бердянск\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(
        app, ["link", str(family), str(registry), "--out", str(out), "--one-to-one"]
    )
    assert result.exit_code == 0, result.output
    rows = {(r["left_id"], r["right_id"]): r for r in _rows(out)}
    for right in ("r1", "r2"):
        row = rows[("f1", right)]
        assert float(row["pairwise_probability"]) > 0.99
        assert 0.4 < float(row["match_probability"]) <= 0.5
    assert float(rows[("f2", "r3")]["match_probability"]) > 0.99


def test_without_the_option_there_is_no_pairwise_column(small_files: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    runner_app: typer.Typer = app
    result = CliRunner().invoke(
        runner_app,
        [
            "link",
            str(small_files / "family.csv"),
            str(small_files / "registry.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pairwise_probability" not in _rows(out)[0]
