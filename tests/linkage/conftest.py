"""Small synthetic lists shared by the linkage tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ridni.demo.linkage_set import LinkageSet, generate_linkage_set
from ridni.linkage.contract import write_rows


@pytest.fixture(scope="session")
def small_set() -> LinkageSet:
    return generate_linkage_set(300, seed=2024)


@pytest.fixture(scope="session")
def small_files(small_set: LinkageSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("lists")
    write_rows(directory / "family.csv", small_set.family)
    write_rows(directory / "registry.csv", small_set.registry)
    return directory
