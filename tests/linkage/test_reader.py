"""Bad input: wrong encodings, odd dates, missing columns, repeated ids, empty files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ridni.errors import InputError
from ridni.linkage.reader import read_lenient

HEADER = "record_id,given_name,family_name,patronymic,sex,birth_date,birth_place\n"


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_cp1251_is_read_and_announced(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "1,Олександр,Шевченко,,M,2012-03-14,Херсон\n", "cp1251")
    rows, summary = read_lenient(path)
    assert rows[0].given_name == "Олександр"
    assert summary.encoding == "cp1251"
    assert any("cp1251" in note for note in summary.notes())


def test_utf8_with_byte_order_mark(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeff" + HEADER + "1,Анна,Коваль,,F,2010,\n")
    rows, summary = read_lenient(path)
    assert rows[0].record_id == "1"
    assert summary.encoding == "utf-8-sig"


def test_dates_are_parsed_where_unambiguous_and_counted_otherwise(tmp_path: Path) -> None:
    lines = [
        "1,А,Б,,M,14.03.2012,",
        "2,А,Б,,M,03/2012,",
        "3,А,Б,,M,вчора,",
        "4,А,Б,,M,2012/3/4,",
        "5,А,Б,,M,31.02.2012,",
    ]
    rows, summary = read_lenient(_write(tmp_path, HEADER + "\n".join(lines) + "\n"))
    assert [r.birth_date for r in rows] == ["2012-03-14", "2012-03", "", "2012-03-04", ""]
    assert summary.unreadable_dates == 2
    assert "2 birth date(s)" in " ".join(summary.notes())


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "record_id,given_name,family_name,sex,birth_date,birth_place\n1,А,Б,M,,\n"
    )
    with pytest.raises(InputError, match="patronymic"):
        read_lenient(path)


def test_duplicate_record_id_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "7,А,Б,,M,,\n7,В,Г,,F,,\n")
    with pytest.raises(InputError, match="'7' appears twice"):
        read_lenient(path)


@pytest.mark.parametrize("text", ["", HEADER])
def test_empty_files_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match=r"empty|no records"):
        read_lenient(_write(tmp_path, text))


def test_unknown_sex_becomes_missing(tmp_path: Path) -> None:
    rows, summary = read_lenient(_write(tmp_path, HEADER + "1,А,Б,,ж,,\n2,А,Б,,?,,\n"))
    assert [r.sex for r in rows] == ["F", ""]
    assert summary.unreadable_sex == 1
