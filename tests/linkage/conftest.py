"""Small synthetic lists shared by the linkage tests (generated once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ridni.demo.linkage_set import LinkageSet, generate_linkage_set
from ridni.linkage.contract import write_rows
from ridni.linkage.model import default_model_path

HEADER = "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"


@pytest.fixture(scope="session")
def small_set() -> LinkageSet:
    return generate_linkage_set(300, seed=2024)


@pytest.fixture(scope="session")
def small_files(small_set: LinkageSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("lists")
    write_rows(directory / "family.csv", small_set.family)
    write_rows(directory / "registry.csv", small_set.registry)
    return directory


@pytest.fixture
def adopted_lists(tmp_path: Path) -> tuple[Path, Path, Path]:
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
