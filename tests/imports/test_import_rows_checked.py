"""Rows that would be imported wrong are refused: ragged CSV lines, birth dates in the future,
a quote never closed (it would swallow the rest of the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ridni.errors import InputError
from ridni.imports.preview import preview
from ridni.imports.reading import open_table
from tests.imports.conftest import HEADER, mapping, write_csv
from tests.imports.test_import_cli import MAPPING
from tests.servers import ridni

GOOD = ["F1", "Шевченко", "Олександр", "", "M", "2012-03-14", "Херсон"]


def _errors(path: Path) -> dict[int, list[str]]:
    found = preview(open_table(path), mapping())
    return {row.number: row.errors for row in found.errors}


def test_a_line_whose_fields_do_not_line_up_with_the_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    lines = [
        ",".join(HEADER),
        ",".join(GOOD),
        "F2,Коваленко,Марія",  # cut short
        "F3,Марія,Коваленко,Петрівна,F,2015-06-01,Київ, Україна",  # an unquoted comma
        'F4,Бондар,Іван,,M,2010,"Київ, Україна"',  # quoted: fine
        "F5,Ткач,Олена,,F,2011,Херсон,,",  # empty fields beyond the header: fine
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    errors = _errors(path)
    assert set(errors) == {3, 4}, errors
    assert errors[3] == ["3 fields, the header has 7: the line is cut short"]
    assert errors[4][0].startswith("8 fields, the header has 7: a separator inside a value")


def test_a_birth_date_in_the_future_is_an_error(tmp_path: Path) -> None:
    rows = [GOOD, ["F2", "Коваленко", "Марія", "", "F", "2099-01-01", "Київ"]]
    rows.append(["F3", "Бондар", "Іван", "", "M", "01.01.1800", "Київ"])
    errors = _errors(write_csv(tmp_path / "future.csv", rows))
    assert errors[3] == ["birth_date '2099-01-01' is in the future"]
    assert set(errors) == {3, 4}, "1800 was refused already"


def test_a_quote_never_closed_refuses_the_file_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    lines = [",".join(HEADER), 'A1,"Олександр,Шевченко,,M,2012,Херсон', ",".join(GOOD)]
    path.write_text("\r\n".join([*lines, ",".join(GOOD).replace("F1", "F2")]), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        preview(open_table(path), mapping())
    assert str(refused.value) == (
        "quote.csv, line 2: a quoted field is never closed (it runs to the end of the file) "
        "— check the quotes on that line"
    )
    # A field quoted over two lines, closed, is a field like any other.
    path.write_text(
        "\r\n".join([",".join(HEADER), 'A1,Шевченко,Олександр,,M,2012,"Херсон,\r\nвул. 1"'])
        + "\r\n",
        encoding="utf-8",
    )
    found = preview(open_table(path), mapping())
    assert (found.rows, found.valid) == (1, 1)
    assert found.sample[0].values["birth_place"] == "Херсон,\r\nвул. 1"


def test_the_command_refuses_them_in_one_line_even_in_a_dry_run(tmp_path: Path) -> None:
    env = {"RIDNI_DATABASE_URL": f"sqlite:///{tmp_path / 'ridni.sqlite3'}"}
    rules = tmp_path / "m.yaml"
    rules.write_text(MAPPING, encoding="utf-8")
    quote = tmp_path / "quote.csv"
    quote.write_text(
        ",".join(HEADER) + '\r\nA1,"Олександр,Шевченко\r\n' + ",".join(GOOD) + "\r\n",
        encoding="utf-8",
    )
    done = ridni("import", str(quote), "-m", str(rules), "-s", "L", "--dry-run", env=env)
    assert done.returncode == 4, done.stderr
    assert done.stderr.startswith("error: quote.csv, line 2: a quoted field is never closed")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    ragged = write_csv(tmp_path / "ragged.csv", [GOOD, ["F2", "Коваленко", "Марія"]])
    done = ridni("import", str(ragged), "-m", str(rules), "-s", "L", "--dry-run", env=env)
    assert done.returncode == 4, done.stderr
    assert "1 valid, 1 with errors" in done.stdout
    assert "3 fields, the header has 7" in done.stdout
    assert done.stderr.startswith("error: 1 row(s) cannot be imported"), done.stderr


def test_control_and_invisible_characters_do_not_make_a_name(tmp_path: Path) -> None:
    # A name of zero-width and right-to-left marks only was imported as a child with a
    # "name" nobody can see; a terminal escape (ESC [ 2 J) went into the stored name and
    # cleared the screen of whoever listed it in a terminal. Now as a form cleans them.
    path = tmp_path / "invisible.csv"
    rows = [
        ["F1", "\u200b", "\u200f\u2060", "", "M", "2012-03-14", "Херсон"],
        ["F2", "Шевченко\x1b[2J", "Олександр\x07", "", "M", "2012-03-14", "Херсон"],
        ["F3", "Коваленко", "Марія\u200dя", "", "F", "2012", ""],
    ]
    write_csv(path, rows)
    found = preview(open_table(path), mapping())
    errors = {row.number: row.errors for row in found.errors}
    assert errors == {2: ["no name: family_name and given_name are both empty"]}
    values = {row.values["source_ref"]: row.values for row in found.sample}
    assert values["F2"]["family_name"] == "Шевченко[2J"
    assert values["F2"]["given_name"] == "Олександр"
    assert values["F3"]["given_name"] == "Марія\u200dя"  # a joiner is part of some names


def test_a_number_cell_too_large_for_a_date_is_a_row_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    # 99999999999 or 1e300 typed into an XLSX date column ended `ridni import` (and the web
    # preview) with an OverflowError from the Excel-serial conversion.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for number, serial in enumerate((40982, 99_999_999_999, 1e300, -1e300, -5), start=1):
        sheet.append([f"F{number}", "Шевченко", "Олександр", None, "M", serial, "Херсон"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    errors = _errors(path)
    assert sorted(errors) == [3, 4, 5, 6], errors
    assert errors[3] == ["birth_date '99999999999' is not a date we can read"]
    # 1e300 is written out as 301 digits: quoted cut short, not whole.
    assert errors[4] == [
        "birth_date '100000000000000005250476025520442024870…' is not a date we can read"
    ]


def test_a_huge_cell_is_quoted_cut_short_in_its_rows_error(tmp_path: Path) -> None:
    # A birth date or sex cell of 100,000 characters was quoted whole in every row's error:
    # in the preview page (50 rows shown) and in the terminal's table.
    path = tmp_path / "list.csv"
    write_csv(path, [["F1", "Шевченко", "Олександр", "", "M" * 100_000, "9" * 100_000, "Херсон"]])
    assert _errors(path) == {
        2: [
            f"birth_date '{'9' * 39}…' is not a date we can read",
            f"sex '{'M' * 39}…' is neither M nor F",
        ]
    }
