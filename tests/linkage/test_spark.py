"""The Spark backend on a small local session, where pyspark (and Java) are installed: linking
and deduplicating give what DuckDB gives."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("the Spark backend needs a Java runtime", allow_module_level=True)

# Settings for a JVM that lives a minute and links a few dozen records; the backend's own
# settings still apply (PYSPARK_SUBMIT_ARGS only adds to them, read when the JVM starts).
QUICK_LOCAL_SPARK = (
    # The quick JIT alone: the optimising one costs more to warm up than it saves here.
    "--conf spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1",
    # Re-planning at each of the 33 joins' stages costs more than it finds in tiny tables.
    "--conf spark.sql.adaptive.enabled=false",
    "pyspark-shell",
)


@pytest.fixture(scope="module", autouse=True)
def _quick_local_spark() -> Iterator[None]:
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYSPARK_SUBMIT_ARGS", " ".join(QUICK_LOCAL_SPARK))
        yield
    # The session is shared within a process: stop it so the rest of the run has the memory.
    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


@pytest.fixture
def spark_files(tmp_path: Path) -> Path:
    """Smaller than the other linkage tests' lists (300 children took Spark 10-13 s more than
    100); 100 children still make 83 matches, so the 98% floor allows one difference."""
    from ridni.demo.linkage_set import generate_linkage_set
    from ridni.linkage.contract import write_rows

    lists = generate_linkage_set(100, seed=2024)
    write_rows(tmp_path / "family.csv", lists.family)
    write_rows(tmp_path / "registry.csv", lists.registry)
    return tmp_path


def test_spark_links_like_duckdb(spark_files: Path, tmp_path: Path) -> None:
    from ridni.linkage.batch import link_files

    results = {}
    for backend in ("duckdb", "spark"):
        out = tmp_path / f"{backend}.csv"
        link_files(spark_files / "family.csv", spark_files / "registry.csv", out, backend=backend)
        with out.open(encoding="utf-8", newline="") as handle:
            results[backend] = {
                (r["left_id"], r["right_id"])
                for r in csv.DictReader(handle)
                if float(r["match_probability"]) >= 0.5
            }
    overlap = len(results["duckdb"] & results["spark"]) / max(1, len(results["duckdb"]))
    assert overlap >= 0.98


def test_spark_dedupes_a_child_reported_twice(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from ridni.linkage.batch import dedupe_file

    source = tmp_path / "reports.csv"
    source.write_text(
        "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"
        "a,Олександр,Шевченко,Петрович,M,2012-03-14,Херсон\n"
        "b,Aleksandr,Shevchenko,Petrovich,M,2012-03-14,Kherson\n"
        "c,Марія,Коваль,Іванівна,F,2015-07-01,Маріуполь\n",
        encoding="utf-8",
    )
    out = tmp_path / "clusters.csv"
    dedupe_file(source, out, backend="spark")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {r["record_id"]: r for r in csv.DictReader(handle)}
    assert rows["a"]["cluster_id"] == rows["b"]["cluster_id"] != rows["c"]["cluster_id"]
    assert float(rows["a"]["probability"]) >= 0.5
    # The JVM writes to this process's stderr: the 33 blocking joins of a few records used to
    # exhaust the default heap with 32 MB pages, dozens of traces on every run.
    assert "OutOfMemoryError" not in capfd.readouterr().err


def test_spark_weighs_rivals_one_to_one_like_duckdb(tmp_path: Path) -> None:
    from ridni.linkage.batch import link_files

    header = "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"
    family = tmp_path / "family.csv"
    family.write_text(
        header + "f1,Марія,Коваль,Іванівна,F,2015-07-01,Маріуполь\n", encoding="utf-8"
    )
    registry = tmp_path / "registry.csv"
    registry.write_text(
        header + "r1,Мария,Коваль,Ивановна,F,2015-07-01,Мариуполь\n"
        "r2,Maria,Koval,Ivanovna,F,2015-07-01,Mariupol\n"
        "r3,Дарья,Бондаренко,,F,2010-01-09,Бердянск\n",
        encoding="utf-8",
    )
    results = {}
    for backend in ("duckdb", "spark"):
        out = tmp_path / f"{backend}.csv"
        link_files(family, registry, out, backend=backend, one_to_one=True)
        with out.open(encoding="utf-8", newline="") as handle:
            results[backend] = {
                r["right_id"]: (float(r["match_probability"]), float(r["pairwise_probability"]))
                for r in csv.DictReader(handle)
            }
    assert results["spark"].keys() == results["duckdb"].keys() >= {"r1", "r2"}
    for right, (probability, pairwise) in results["spark"].items():
        assert probability == pytest.approx(results["duckdb"][right][0], abs=1e-4)
        assert pairwise == pytest.approx(results["duckdb"][right][1], abs=1e-4)
    assert results["spark"]["r1"][0] <= 0.5 < results["spark"]["r1"][1]


def test_spark_writes_each_records_best_candidates_below_the_floor_like_duckdb(
    adopted_lists: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    from ridni.linkage.batch import link_files

    family, registry, model = adopted_lists
    results = {}
    for backend in ("duckdb", "spark"):
        out = tmp_path / f"{backend}.csv"
        link_files(family, registry, out, backend=backend, model=model, top=2)
        with out.open(encoding="utf-8", newline="") as handle:
            results[backend] = [
                (r["left_id"], r["right_id"], float(r["match_probability"]))
                for r in csv.DictReader(handle)
            ]
    assert [p[:2] for p in results["spark"]] == [p[:2] for p in results["duckdb"]]
    assert results["spark"][0][:2] == ("f1", "r1") and results["spark"][0][2] < 0.01
    for (_, _, spark), (_, _, duckdb) in zip(results["spark"], results["duckdb"], strict=True):
        assert spark == pytest.approx(duckdb, rel=1e-3, abs=1e-6)


def test_spark_uses_a_session_already_open_with_its_own_settings(tmp_path: Path) -> None:
    """A notebook's or a cluster's session keeps its settings: Ridni's local defaults (two
    shuffle partitions, a checkpoint directory of its own) must not replace them."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    from ridni.linkage.batch import dedupe_file

    ridnis = SparkSession.getActiveSession()
    if ridnis is not None:  # the earlier tests' session, Ridni's own: start the caller's
        ridnis.stop()
    session = (
        SparkSession.builder.master("local[1]")
        .appName("a notebook")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "3")
        .getOrCreate()
    )
    checkpoints = tmp_path / "checkpoints"
    session.sparkContext.setCheckpointDir(str(checkpoints))
    source = tmp_path / "reports.csv"
    source.write_text(
        "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"
        "a,Марія,Коваль,Іванівна,F,2015-07-01,Маріуполь\n"
        "b,Maria,Koval,Ivanovna,F,2015-07-01,Mariupol\n",
        encoding="utf-8",
    )
    try:
        dedupe_file(source, tmp_path / "clusters.csv", backend="spark")
        assert session.conf.get("spark.sql.shuffle.partitions") == "3"
        kept = session.sparkContext.getCheckpointDir()
        assert kept is not None and str(checkpoints) in kept
        assert checkpoints.is_dir(), "the caller's checkpoint directory is left in place"
    finally:
        session.stop()
    with (tmp_path / "clusters.csv").open(encoding="utf-8", newline="") as handle:
        clusters = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(handle)}
    assert clusters["a"] == clusters["b"]
