"""Importing lists: encodings, date styles, XLSX, validation, idempotence, matching."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ridni.cases.models import Record, RecordKind, RecordToken, Sex
from ridni.errors import InputError
from ridni.imports.mapping import guess, load_mapping
from ridni.imports.models import ImportRun, ImportStatus
from ridni.imports.preview import converted
from ridni.imports.reading import open_table
from ridni.imports.writing import Writer
from ridni.partial_date import PartialDate, Precision
from ridni.storage.engine import Database
from ridni.storage.types import utcnow
from ridni.tracing.closing import close_request
from ridni.tracing.matching import match_new_records
from ridni.tracing.models import CandidateState, CloseReason, MatchCandidate, Trace, TracingRequest
from tests.helpers import make_record, make_source
from tests.imports.conftest import HEADER, ROWS, import_file, mapping, write_csv


def tokens(db: Database, record_id: int) -> set[str]:
    with db.session() as session:
        return set(
            session.scalars(select(RecordToken.token).where(RecordToken.record_id == record_id))
        )


def records(db: Database) -> dict[str, Record]:
    with db.session() as session:
        found = session.scalars(select(Record)).all()
        for record in found:
            session.expunge(record)
    return {record.source_ref: record for record in found}


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("utf-16", "\t")],  # utf-16: Excel's
)
def test_each_encoding_and_date_style(
    db: Database, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = ROWS[:3] if encoding == "cp1251" else ROWS  # cp1251 has no room for a Latin row test
    path = write_csv(tmp_path / "list.csv", rows, encoding, delimiter)
    found, run = import_file(db, path)
    assert (found.invalid, run.status, run.rows_added) == (0, ImportStatus.completed, len(rows))
    saved = records(db)
    assert saved["1"].family_name == "Шевченко"
    assert saved["1"].birth_date == PartialDate.of(2012, 3, 14)
    assert saved["1"].sex is Sex.male
    assert saved["2"].birth_date == PartialDate.of(2011, 5)
    assert saved["2"].birth_date.precision is Precision.month
    assert saved["3"].birth_date == PartialDate.of(2010)
    if encoding != "cp1251":
        assert saved["4"].birth_date == PartialDate.of(2012, 3, 14)  # Excel serial 40982
        with db.session() as session:
            tokens = session.scalars(
                select(RecordToken.token).where(RecordToken.record_id == saved["4"].id)
            ).all()
        assert tokens, "a Latin name is searchable like any other"


def test_xlsx_with_real_dates_serials_and_text(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Список"
    sheet.append(HEADER)
    sheet.append([1, "Шевченко", "Олександр", None, "ч", datetime(2012, 3, 14), "Херсон"])
    sheet.append([2, "Коваленко", "Марія", None, "ж", 40982, "Маріуполь"])
    sheet.append([3, "Бондар", "Іван", None, "м", "03.2011", "Бахмут"])
    sheet.append([None, None, None, None, None, None, None])  # empty rows are not rows
    sheet.append([4, "Ткач", "Олена", None, "ж", 2010, "Херсон"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    _found, run = import_file(db, path, mapping(sheet="Список"))
    assert run.rows_added == 4
    saved = records(db)
    assert saved["1"].birth_date == PartialDate.of(2012, 3, 14)
    assert saved["2"].birth_date == PartialDate.of(2012, 3, 14)
    assert saved["3"].birth_date == PartialDate.of(2011, 3)
    assert saved["4"].birth_date == PartialDate.of(2010)


def test_every_bad_row_is_named_before_anything_is_written(db: Database, tmp_path: Path) -> None:
    rows = [
        *ROWS[:2],
        ["5", "", "", "", "ж", "14.03.2012", "Херсон"],
        ["6", "Мельник", "Петро", "", "x", "31.02.2012", "Київ"],
        ["", "Кравець", "Анна", "", "", "", ""],
        ["8", "Б" * 201, "Анна", "", "", "", ""],
    ]
    table = open_table(write_csv(tmp_path / "list.csv", rows))
    from ridni.imports.preview import preview

    found = preview(table, mapping())
    assert (found.rows, found.valid, found.invalid) == (6, 2, 4)
    problems = {row.number: "; ".join(row.errors) for row in found.errors}
    assert "no name" in problems[4]
    assert "'31.02.2012' is not a date" in problems[5]
    assert "sex 'x'" in problems[5]
    assert "no id" in problems[6]
    assert "201 characters" in problems[7]
    assert records(db) == {}


def test_reimporting_the_same_file_adds_nothing(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [*ROWS, ROWS[0]])  # a row repeated in the file
    _found, first = import_file(db, path)
    _found, again = import_file(db, path)
    assert (first.rows_added, first.rows_existing) == (4, 1)
    assert (again.rows_added, again.rows_existing) == (0, 5)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 4


def test_a_failure_while_preparing_ahead_fails_the_run_and_a_rerun_completes_it(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are prepared in a second thread: its error must stop the run in the main
    one, with the batches before it committed and nothing half-written."""
    path = write_csv(tmp_path / "list.csv", ROWS)
    prepare = Writer.prepare
    calls = 0

    def failing(self: Writer, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk went away (simulated)")
        return prepare(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Writer, "prepare", failing)
    with pytest.raises(RuntimeError, match="simulated"):
        import_file(db, path)  # batches of two rows: the second batch fails
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 2
        tokens = session.scalar(select(func.count(func.distinct(RecordToken.record_id))))
        assert tokens == 2, "the committed batch has its tokens, nothing else was written"
        statuses = [run.status for run in session.scalars(select(ImportRun))]
        assert statuses == [ImportStatus.failed]
    monkeypatch.setattr(Writer, "prepare", prepare)
    _found, again = import_file(db, path)
    assert (again.status, again.rows_added, again.rows_existing) == (ImportStatus.completed, 2, 2)


def test_a_list_without_ids_is_identified_by_content(db: Database, tmp_path: Path) -> None:
    rules = mapping(columns={"family_name": "Прізвище", "given_name": "Ім'я"})
    path = write_csv(tmp_path / "list.csv", ROWS)
    import_file(db, path, rules)
    _found, again = import_file(db, path, rules)
    assert again.rows_added == 0
    assert all(ref.startswith("content:") for ref in records(db))


def test_imported_records_equal_records_made_by_hand(db: Database, tmp_path: Path) -> None:
    """Imports write in bulk, bypassing the ORM's insert events; every derived column and the
    blind-index tokens must still come out as the ORM would make them."""
    import_file(db, write_csv(tmp_path / "list.csv", ROWS[:1]))
    imported = records(db)["1"]
    with db.session() as session:
        made = make_record(
            session,
            None,
            make_source(session, "By hand (synthetic)"),
            "Олександр",
            "Шевченко",
            "Миколайович",
            born="2012-03-14",
            birth_place="Херсон",
            sex=Sex.male,
            source_ref="1",
        )
        by_hand = {c.key: getattr(made, c.key) for c in Record.__table__.columns}
    skip = {"id", "source_id", "created_at", "consent_share", "organisation_id"}
    for column in Record.__table__.columns:
        if column.key not in skip:
            assert getattr(imported, column.key) == by_hand[column.key], column.key
    assert tokens(db, imported.id) == tokens(db, by_hand["id"])


def open_trace(db: Database) -> None:
    with db.session() as session:
        family = make_source(session, "Family reports (synthetic)")
        sought = make_record(
            session,
            None,
            family,
            "Олександр",
            "Шевченко",
            "Миколайович",
            born="2012-03-14",
            birth_place="Херсон",
            kind=RecordKind.family_report,
            source_ref="family-1",
        )
        request = TracingRequest(inquirer_name="Synthetic mother", consent_tracing=True)
        request.traces = [Trace(record_id=sought.id)]
        session.add(request)


def test_imported_records_go_to_the_review_queue(db: Database, tmp_path: Path) -> None:
    open_trace(db)
    _found, run = import_file(db, write_csv(tmp_path / "list.csv", ROWS), auto_link=1.0)
    assert run.candidates >= 1
    assert run.auto_linked == 0
    with db.session() as session:
        best = session.scalars(
            select(MatchCandidate).order_by(MatchCandidate.probability.desc())
        ).first()
        assert best is not None
        assert best.found.source_ref == "1"
        assert best.state is CandidateState.open, "1 means a person confirms every match"


def test_a_closed_request_is_not_matched_by_an_import(db: Database, tmp_path: Path) -> None:
    open_trace(db)
    with db.session() as session:
        for request in session.scalars(select(TracingRequest)):
            close_request(request, CloseReason.consent_withdrawn, "family asked to stop")
    _found, run = import_file(db, write_csv(tmp_path / "list.csv", ROWS), auto_link=1.0)
    assert run.candidates == 0
    with db.session() as session:
        assert session.scalar(select(func.count(MatchCandidate.id))) == 0


def test_a_near_certain_unambiguous_match_is_linked_when_allowed(
    db: Database, tmp_path: Path
) -> None:
    open_trace(db)
    _found, run = import_file(db, write_csv(tmp_path / "list.csv", ROWS), auto_link=0.5)
    assert run.auto_linked == 1
    with db.session() as session:
        linked = session.scalar(select(Record).where(Record.source_ref == "1"))
        assert linked is not None
        assert linked.child_id is not None


def test_two_entries_resembling_one_child_are_left_to_a_person(
    db: Database, tmp_path: Path
) -> None:
    open_trace(db)
    twice = [ROWS[0], ["9", *ROWS[0][1:]]]
    _found, run = import_file(db, write_csv(tmp_path / "list.csv", twice), auto_link=0.5)
    assert run.candidates >= 2
    assert run.auto_linked == 0


def test_mapping_problems_are_one_clear_line(tmp_path: Path) -> None:
    table = open_table(write_csv(tmp_path / "list.csv", ROWS))
    with pytest.raises(InputError, match="no column"):
        mapping(columns={"family_name": "Surname"}).check(table.header, "list.csv")
    bad = tmp_path / "m.yaml"
    for text, message in (
        ("columns: [1, 2", "not valid YAML"),
        ("columns:\n  surname: Прізвище\n", "unknown field"),
        ("kind: rumour\ncolumns:\n  family_name: Прізвище\n", "unknown kind"),
        ("- just a list\n", "must be a mapping"),
    ):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            load_mapping(bad)


def test_a_mapping_that_is_a_device_or_huge_is_refused_not_read_forever(
    tmp_path: Path,
) -> None:
    # `ridni import list.csv -m /dev/zero` read the device whole: it hung until memory ran out.
    huge = tmp_path / "huge.yaml"
    huge.write_text("# " + "x" * 1_000_000 + "\n", encoding="utf-8")
    for path in (Path("/dev/zero"), huge):
        with pytest.raises(InputError, match="is not a mapping: it is over 1,000,000 bytes"):
            load_mapping(path)


def test_files_that_are_not_lists(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip file")
    (tmp_path / "list.pdf").write_bytes(b"%PDF-1.4")
    for name, message in (
        ("empty.csv", "is empty"),
        ("fake.xlsx", "not a readable XLSX"),
        ("list.pdf", "cannot import .pdf"),
        ("missing.csv", "does not exist"),
    ):
        with pytest.raises(InputError, match=message):
            open_table(tmp_path / name)


def test_files_that_are_not_text_are_refused_not_misread(tmp_path: Path) -> None:
    header = ",".join(HEADER).encode()
    for name, content in (
        ("bin.csv", bytes(range(256))),  # 0x98 is in neither UTF-8 nor cp1251
        ("no-cp1251.csv", "Прізвище\r\n".encode("cp1251") + b"\x98\r\n"),
        ("nul-cp1251.csv", "Прізвище\r\n".encode("cp1251") + b"\x00\x01\xff\r\n"),
        ("nul-utf8.csv", header + b"\r\n1,\x00\r\n"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("broken-bom.csv", codecs.BOM_UTF8 + header + b"\r\n1,\xff\r\n"),
    ):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError) as refused:
            open_table(tmp_path / name)
        assert refused.value.message == f"{name} is not a text CSV in UTF-8 or cp1251"
    # The same checks, under the name the user knows the file by (an upload's own name).
    with pytest.raises(InputError, match=r"^мій список\.csv is not a text CSV"):
        open_table(tmp_path / "bin.csv", name="мій список.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match=r"^порожній\.csv is empty"):
        open_table(tmp_path / "empty.csv", name="порожній.csv")
    cp1251 = write_csv(tmp_path / "list.csv", ROWS[:3], "cp1251", ";")
    table = open_table(cp1251, name="Список.csv")
    assert (table.encoding, table.name) == ("cp1251", "Список.csv")
    with table.rows() as rows:
        assert [cells[1] for _, cells in rows] == ["Шевченко", "Коваленко", "Бондар"]


def test_the_header_guess_reads_ukrainian_russian_and_english() -> None:
    assert guess(["№", "Фамилия", "Имя", "Дата рождения", "Sex"]) == {
        "source_ref": "№",
        "family_name": "Фамилия",
        "given_name": "Имя",
        "birth_date": "Дата рождения",
        "sex": "Sex",
    }


def test_dates_reach_back_no_further_than_excel_allows() -> None:
    from ridni.imports.rows import parse_date

    assert parse_date("14.03.2012") == PartialDate.of(2012, 3, 14)
    assert parse_date("2012/03/14") == PartialDate.of(2012, 3, 14)
    assert parse_date(date(2012, 3, 14)) == PartialDate.of(2012, 3, 14)
    assert parse_date(40982.0) == PartialDate.of(2012, 3, 14)
    assert parse_date(" ") is None
    with pytest.raises(ValueError, match=r"^$"):
        parse_date("1")


@pytest.mark.parametrize(
    "text", ["٣٣٣٣٣", "１２３４５", "²²²²²", "٢٠١٢/٠٣/١٤", "2012/٠٣/١٤", "٢٠١٢"]
)
def test_other_scripts_digits_are_not_a_date(text: str) -> None:
    """Arabic-Indic or full-width digits are not dates we can vouch for (PartialDate reads
    [0-9] only): as an Excel serial ("٣٣٣٣٣" was 5 April 1991, "１２３４５" 18 October 1933) or
    year first ("2012/٠٣/١٤") they were read as dates and saved; now they are the row's error,
    and an unreadable date for `ridni link`."""
    from ridni.imports.rows import parse_date
    from ridni.linkage.reader import lenient_date

    with pytest.raises(ValueError, match=r"^$"):
        parse_date(text)
    assert lenient_date(text) is None


MANY_SCRIPTS = [
    ["1", "Шевченко", "Олександр", "Миколайович", "ч", "2012", ""],  # Ukrainian
    ["2", "Шевченко", "Александр", "Николаевич", "м", "2012", ""],  # Russian given name
    ["3", "Shevchenko", "Oleksandr", "", "m", "2012", ""],  # Latin
    ["4", "Shevchenko", "Олександр", "", "ч", "2012", ""],  # Latin and Ukrainian: mixed
    ["5", "Коваль", "Анна", "", "ж", "2012", ""],  # common Cyrillic letters only
    ["6", "Коваль", "Ганна", "Іванівна", "ж", "2012", ""],  # common Cyrillic and Ukrainian
    ["7", "Ковалёв", "Іван", "", "ч", "2012", ""],  # Russian and Ukrainian letters: mixed
    ["8", "Ковалёв", "Ivan", "", "m", "2012", ""],
    ["9", "Коваль", "", "", "ж", "2012", ""],
    ["10", "123", "Марія", "", "ж", "2012", ""],  # no letters in one name
]


def test_every_script_comes_out_as_the_orm_makes_it(db: Database, tmp_path: Path) -> None:
    """The import derives a record's script and tokens from per-name caches; any mix of
    scripts must give what the ORM's events give for the same names."""
    import_file(db, write_csv(tmp_path / "list.csv", MANY_SCRIPTS))
    imported = records(db)
    with db.session() as session:
        source = make_source(session, "By hand (synthetic)")
        for row in MANY_SCRIPTS:
            ref, family, given, patronymic = row[0], row[1], row[2], row[3] or None
            made = make_record(session, None, source, given, family, patronymic, source_ref=ref)
            mine = imported[ref]
            assert (mine.given_name, mine.family_name, mine.patronymic) == (
                made.given_name or None,
                made.family_name,
                made.patronymic,
            ), ref
            assert mine.name_script == made.name_script, ref
            session.flush()
            assert tokens(db, mine.id) == set(
                session.scalars(select(RecordToken.token).where(RecordToken.record_id == made.id))
            ), ref


def test_candidates_equal_those_of_the_general_matching(db: Database, tmp_path: Path) -> None:
    """The import stores candidates in bulk for records new in their batch; they must be
    exactly what ``match_new_records`` finds and keeps for the same records."""
    open_trace(db)
    with db.session() as session:
        family = make_source(session, "More family reports (synthetic)")
        for n, (given, surname, born) in enumerate(
            [("Анна", "Коваль", "2012"), ("Ivan", "Shevchenko", "2010-05"), ("Марія", "Ткач", "")]
        ):
            sought = make_record(
                session,
                None,
                family,
                given,
                surname,
                born=born or None,
                kind=RecordKind.family_report,
                source_ref=f"family-{n + 2}",
            )
            request = TracingRequest(inquirer_name="Synthetic inquirer", consent_tracing=True)
            request.traces = [Trace(record_id=sought.id)]
            session.add(request)
    _found, run = import_file(db, write_csv(tmp_path / "list.csv", [*ROWS, *MANY_SCRIPTS[1:]]))

    def stored(session: Session) -> set[tuple[object, ...]]:
        return {
            (c.sought_record_id, c.found_record_id, round(c.probability, 9), repr(c.explanation))
            for c in session.scalars(select(MatchCandidate))
        }

    with db.session() as session:
        bulk = stored(session)
        assert len(bulk) == run.candidates > 3
        imported = session.scalars(select(Record).where(Record.kind == RecordKind.camp_list))
        session.execute(delete(MatchCandidate))
        match_new_records(session, list(imported))
        session.flush()
        assert stored(session) == bulk


def test_a_row_added_meanwhile_by_another_import_is_an_integrity_error(
    db: Database, tmp_path: Path
) -> None:
    """Two imports of one source at once: the second's bulk write meets the first's row and
    fails as an IntegrityError on either backend, which the runner reports in one line."""
    import_file(db, write_csv(tmp_path / "list.csv", ROWS[:1]))
    table = open_table(tmp_path / "list.csv")
    rules = mapping()
    with converted(table, rules) as rows:
        batch = list(rows)
    with db.session() as session:
        source = session.scalar(select(Record.source_id).limit(1))
        assert source is not None
        writer = Writer(session, source, rules, None)
        prepared = writer.prepare(batch, utcnow())
        with pytest.raises(IntegrityError):
            writer.store(session, prepared, set(prepared.refs))
        session.rollback()


def test_an_xlsx_of_more_parts_than_any_workbook_is_refused_before_its_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zipfile makes an object of every part its directory lists: a 50 MB upload of empty
    parts would take hundreds of MB before the size checks. The end record's count comes
    first; an honest workbook still opens."""
    import zipfile

    workbook = Workbook()
    workbook.active.append(["record_id", "family_name"])
    workbook.active.append(["1", "Шевченко"])
    honest = tmp_path / "honest.xlsx"
    workbook.save(honest)
    assert open_table(honest).header == ["record_id", "family_name"]
    many = tmp_path / "many.xlsx"
    many.write_bytes(honest.read_bytes())
    with zipfile.ZipFile(many, "a") as archive:
        for n in range(10_001):
            archive.writestr(f"xl/media/empty{n}.bin", b"")

    def no_directory(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the zip's directory was read before its part count was checked")

    monkeypatch.setattr(zipfile, "ZipFile", no_directory)
    with pytest.raises(InputError) as refused:
        open_table(many)
    assert "many.xlsx holds 10010 parts; an XLSX list holds at most 10000" in str(refused.value)
    assert "split it into smaller files" in str(refused.value)
