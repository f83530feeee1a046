"""The Spark backend on a small local session, where pyspark (and Java) are installed."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("the Spark backend needs a Java runtime", allow_module_level=True)


def test_spark_links_like_duckdb(small_files: Path, tmp_path: Path) -> None:
    from ridni.linkage.batch import link_files

    results = {}
    for backend in ("duckdb", "spark"):
        out = tmp_path / f"{backend}.csv"
        link_files(small_files / "family.csv", small_files / "registry.csv", out, backend=backend)
        with out.open(encoding="utf-8", newline="") as handle:
            results[backend] = {
                (r["left_id"], r["right_id"])
                for r in csv.DictReader(handle)
                if float(r["match_probability"]) >= 0.5
            }
    overlap = len(results["duckdb"] & results["spark"]) / max(1, len(results["duckdb"]))
    assert overlap >= 0.98
