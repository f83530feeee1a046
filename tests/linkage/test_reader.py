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


def test_spreadsheet_exports_are_read_and_announced(tmp_path: Path) -> None:
    """Excel's "Unicode text" (UTF-16), semicolons or tabs between fields (Excel in a
    Ukrainian locale), a header in capitals: read, and said how."""
    row = "1,Олександр,Шевченко,,M,2012-03-14,Херсон\n"
    cases = {
        "utf-16": ((HEADER + row).encode("utf-16"), "read as utf-16"),
        "semicolons": ((HEADER + row).replace(",", ";").encode(), "semicolons"),
        "tabs": ((HEADER + row).replace(",", "\t").encode(), "tabs"),
        "capitals": ((HEADER.upper() + row).encode(), None),
    }
    for name, (content, note) in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(content)
        rows, summary = read_lenient(path)
        assert (rows[0].given_name, rows[0].birth_place) == ("Олександр", "Херсон"), name
        if note:
            assert any(note in line for line in summary.notes()), (name, summary.notes())


def test_a_quote_never_closed_is_refused_not_swallowing_later_children(tmp_path: Path) -> None:
    text = HEADER + '1,"Олександр,Шевченко,,M,2012-03-14,Херсон\n2,Марія,Коваль,,F,2015,\n'
    with pytest.raises(InputError, match=r"list.csv, line 2: a quoted field is never closed"):
        read_lenient(_write(tmp_path, text))
    # A quoted field holding a line break is fine.
    rows, _summary = read_lenient(_write(tmp_path, HEADER + '1,"Анна\nМарія",Коваль,,F,,\n'))
    assert rows[0].given_name == "Анна\nМарія"
    # Also after a field the lenient read takes in its stride ("Ан"на is read as Анна).
    text = HEADER + '1,"Ан"на,Коваль,,F,,\n2,"Марія,Коваль,,F,2015,\n3,Іван,Бондар,,M,,\n'
    with pytest.raises(InputError, match=r"list.csv, line 3: a quoted field is never closed"):
        read_lenient(_write(tmp_path, text))


def test_sex_is_read_in_the_words_lists_use_and_the_rest_named(tmp_path: Path) -> None:
    text = HEADER + "1,А,Б,,чол,,\n2,А,Б,,Жін.,,\n3,А,Б,,дівчинка,,\n4,А,Б,,X,,\n"
    rows, summary = read_lenient(_write(tmp_path, text))
    assert [r.sex for r in rows] == ["M", "F", "F", ""]
    assert any("e.g. 'X'" in note for note in summary.notes())


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match="not a text CSV"):
        read_lenient(path)


@pytest.mark.parametrize("quote", ["", '"'])
def test_a_field_of_megabytes_is_refused_naming_its_line(tmp_path: Path, quote: str) -> None:
    huge = quote + "x" * 3_000_000 + quote
    path = _write(tmp_path, HEADER + "a,Анна,Коваль,,F,2012,\n" + f"b,{huge},Коваль,,F,2012,\n")
    # pyarrow reads it and its length is named, or the csv module stops at its limit: either
    # way one line saying where (the record, or the file's line), not the reader's own words.
    where = r"(record 2: given_name is 3000000 characters|line 3: a field is over \d+ characters)"
    with pytest.raises(InputError, match=where) as error:
        read_lenient(path)
    assert "at most 1000" in str(error.value.hint)
