"""Small synthetic lists and a way to import them as the CLI does, in-process."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ridni.imports.mapping import Mapping, mapping_from
from ridni.imports.models import ImportRun
from ridni.imports.preview import Preview, preview
from ridni.imports.reading import open_table
from ridni.imports.runner import Options, run_import, start_run
from ridni.storage.engine import Database

HEADER = ["№", "Прізвище", "Ім'я", "По батькові", "Стать", "Дата народження", "Місце народження"]
ROWS = [
    ["1", "Шевченко", "Олександр", "Миколайович", "ч", "14.03.2012", "Херсон"],
    ["2", "Коваленко", "Марія", "", "Ж", "2011-05", "Маріуполь"],
    ["3", "Бондар", "Іван", "", "м", "2010", "Бахмут"],
    ["4", "Tkach", "Olena", "", "F", "40982", "Kherson"],  # Latin, an Excel serial
]
MAPPING = {
    "kind": "camp_list",
    "columns": {
        "source_ref": "№",
        "family_name": "Прізвище",
        "given_name": "Ім'я",
        "patronymic": "По батькові",
        "sex": "Стать",
        "birth_date": "Дата народження",
        "birth_place": "Місце народження",
    },
}


def write_csv(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    lines = [delimiter.join(HEADER)] + [delimiter.join(row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def mapping(**changes: object) -> Mapping:
    return mapping_from({**MAPPING, **changes}, "test mapping")


def import_file(
    db: Database,
    path: Path,
    rules: Mapping | None = None,
    source: str = "Camp list (synthetic)",
    **options: object,
) -> tuple[Preview, ImportRun]:
    rules = rules or mapping()
    table = open_table(path, rules.sheet)
    found = preview(table, rules)
    chosen = Options(**{"batch_size": 2, **options})  # type: ignore[arg-type]
    run = start_run(db, table, rules, source, chosen, found.invalid)
    return found, run_import(db, table, rules, run, chosen)


def write_xlsx_bomb(path: Path, unpacked_mb: int = 20) -> Path:
    """A real one-sheet workbook with a shared-strings part of ``unpacked_mb`` MB of one
    repeated string: ~1,000 times smaller stored, as a decompression bomb is (this one is
    modest, so the test stays light; a real one declares gigabytes in a small upload)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(ROWS[0])
    plain = path.with_suffix(".plain.xlsx")
    workbook.save(plain)
    strings = b"<si><t>Shevchenko</t></si>" * (unpacked_mb * (1 << 20) // 26)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part in source.infolist():
            if part.filename != "xl/sharedStrings.xml":
                out.writestr(part, source.read(part))
        out.writestr("xl/sharedStrings.xml", b"<sst>" + strings + b"</sst>")
    plain.unlink()
    return path
