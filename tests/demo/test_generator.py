"""The synthetic generator: deterministic, realistic in its distortions, loadable."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import distinct, func, select

from ridni.cases.models import Child, Record, RecordToken
from ridni.demo.dataset import Dataset, read_dataset, write_dataset
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.errors import InputError
from ridni.facilities.models import Facility
from ridni.linkage.contract import COLUMNS, read_rows
from ridni.linkage.scripts import Script, detect_script
from ridni.movements.models import Movement
from ridni.storage.engine import Database

CHILDREN = 600


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(CHILDREN, seed=7)


def _registry_rate(dataset: Dataset, variant: str) -> float:
    registry = [r for r in dataset.records if r.side == "registry"]
    return sum(variant in r.variants.split(";") for r in registry) / len(registry)


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_dataset(generate(150, seed=3), first)
    write_dataset(generate(150, seed=3), second)
    write_dataset(generate(150, seed=4), other)
    names = sorted(p.name for p in first.iterdir())
    assert filecmp.cmpfiles(first, second, names, shallow=False)[0] == names
    assert not filecmp.cmp(first / "registry.csv", other / "registry.csv", shallow=False)


def test_sizes(dataset: Dataset) -> None:
    assert len(dataset.children) == CHILDREN
    assert 0.75 * CHILDREN <= len(dataset.family) <= 0.95 * CHILDREN
    assert 0.7 * CHILDREN <= len(dataset.registry) <= 1.2 * CHILDREN
    assert len(dataset.facilities) == max(12, CHILDREN // 40)
    assert {r.record_id for r in dataset.records} == {
        row.record_id for row in dataset.family + dataset.registry
    }
    children = {c.child_id for c in dataset.children}
    assert {r.child_id for r in dataset.records} == children, "every child has a record"


@pytest.mark.parametrize(
    ("variant", "low", "high"),
    [
        ("russian_cyrillic", 0.45, 0.65),
        ("no_patronymic", 0.30, 0.45),
        ("place_missing", 0.22, 0.38),
        ("sex_missing", 0.05, 0.15),
        ("date_swapped", 0.01, 0.08),
        ("date_year_month", 0.07, 0.17),
        ("surname_initial", 0.03, 0.12),
        ("typo", 0.04, 0.13),
    ],
)
def test_registry_distortions_occur_at_their_rates(
    dataset: Dataset, variant: str, low: float, high: float
) -> None:
    assert low <= _registry_rate(dataset, variant) <= high


def test_russian_lists_russify_names(dataset: Dataset) -> None:
    truth = {r.record_id: r for r in dataset.records}
    russified = [
        row
        for row in dataset.registry
        if "russian_cyrillic" in truth[row.record_id].variants.split(";")
    ]
    scripts = Counter(
        detect_script(row.given_name, row.family_name, row.patronymic) for row in russified
    )
    assert scripts[Script.ukrainian] == 0, "no і/ї/є/ґ survive in Russian renderings"
    children = {c.child_id: c for c in dataset.children}
    olek = [
        row
        for row in russified
        if children[truth[row.record_id].child_id].given_name == "Олександр"
    ]
    assert olek and all(
        row.given_name == "Александр"
        for row in olek
        if "typo" not in truth[row.record_id].variants
        and "names_swapped" not in truth[row.record_id].variants
    )


def test_families_bring_siblings_as_hard_negatives(dataset: Dataset) -> None:
    sizes = Counter(c.family_id for c in dataset.children)
    with_siblings = sum(n for n in sizes.values() if n > 1)
    assert 0.25 <= with_siblings / CHILDREN <= 0.55
    families: dict[str, list[str]] = {}
    for child in dataset.children:
        families.setdefault(child.family_id, []).append(child.patronymic[:3])
    assert all(len(set(stems)) == 1 for stems in families.values()), "siblings share a father"


def test_everything_says_it_is_synthetic(dataset: Dataset, tmp_path: Path) -> None:
    write_dataset(dataset, tmp_path)
    assert "SYNTHETIC DATA" in (tmp_path / "README.txt").read_text()
    assert all("[SYNTHETIC]" in f.name for f in dataset.facilities)
    assert all("SYNTHETIC" in s.title or s.title.startswith("Список") for s in dataset.sources)


def test_linkage_files_follow_the_contract(dataset: Dataset, tmp_path: Path) -> None:
    write_dataset(dataset, tmp_path)
    header = (tmp_path / "registry.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(COLUMNS)
    rows = list(read_rows(tmp_path / "registry.csv"))
    assert len(rows) == len(dataset.registry)
    assert {row.sex for row in rows} <= {"M", "F", ""}


def test_a_written_dataset_reads_back_identically(dataset: Dataset, tmp_path: Path) -> None:
    write_dataset(dataset, tmp_path)
    assert read_dataset(tmp_path) == dataset


def test_a_folder_without_a_dataset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no synthetic dataset"):
        read_dataset(tmp_path)


def test_loading_puts_everything_in_the_database(db: Database) -> None:
    data = generate(120, seed=11)
    summary = load_dataset(db, data)
    with db.session() as session:
        assert session.scalar(select(func.count(Child.id))) == 120
        assert session.scalar(select(func.count(Record.id))) == summary.records == len(data.records)
        assert session.scalar(select(func.count(Facility.id))) == len(data.facilities)
        assert session.scalar(select(func.count(Movement.id))) == len(data.movements)
        linked = session.scalar(select(func.count(Record.id)).where(Record.child_id.is_not(None)))
        assert linked == sum(r.linked for r in data.records)
        searchable = session.scalar(select(func.count(distinct(RecordToken.record_id))))
        assert searchable == summary.records, "every record is searchable"
