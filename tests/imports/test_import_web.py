"""The import pages: upload, map columns, see every row's problem, import."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ridni.accounts.models import RoleName
from ridni.cases.models import Record
from ridni.errors import InputError
from ridni.evidence.models import Source
from ridni.imports import reading, routes, uploads
from ridni.imports.mapping import mapping_from
from ridni.imports.models import ImportRun
from ridni.imports.reading import open_table
from ridni.imports.runner import Options
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_user
from tests.imports.conftest import MAPPING, ROWS, write_csv, write_xlsx_bomb

EN = {"accept-language": "en"}


def upload(client: TestClient, path: Path) -> str:
    token = csrf_token(client, "/imports")
    with path.open("rb") as handle:
        response = client.post(
            "/imports",
            data={"csrf_token": token, "source": "Camp list (synthetic)", "kind": "camp_list"},
            files={"file": (path.name, handle, "text/csv")},
            follow_redirects=False,
        )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


@pytest.mark.parametrize("preparing", ["thread", "process"])
def test_upload_map_preview_and_import(
    db: Database, client: TestClient, tmp_path: Path, preparing: str
) -> None:
    if preparing == "process":  # as a long list would be: prepared in a process of its own
        state = cast(FastAPI, client.app).state
        state.settings = state.settings.model_copy(update={"import_process_from": 0})
    with db.session() as session:
        make_user(session)
    login(client)
    bad = ["9", "", "", "", "ж", "2012", ""]
    path = write_csv(tmp_path / "list.csv", [*ROWS, bad], "utf-8-sig", ";")
    mapping_url = upload(client, path)
    page = client.get(mapping_url, headers=EN)
    assert page.status_code == 200
    # The header's words preselect the mapping; people correct it.
    assert re.search(r'<option value="Прізвище" selected>', page.text)
    assert re.search(r'<option value="Дата народження" selected>', page.text)
    form = {f"map_{field}": column for field, column in MAPPING["columns"].items()}
    form["csrf_token"] = csrf_token(client, mapping_url)
    preview = client.post(f"{mapping_url}/preview", data=form, headers=EN)
    assert preview.status_code == 200, preview.text[-1500:]
    assert "5 rows: 4 can be imported, 1 have errors." in preview.text
    assert "no name" in preview.text
    assert "Nothing has been saved yet." in preview.text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0
    refused = client.post(f"{mapping_url}/run", data=form, headers=EN)
    assert refused.status_code == 400
    done = client.post(f"{mapping_url}/run", data={**form, "skip_invalid": "on"}, headers=EN)
    assert done.status_code == 200
    assert "The import has started." in done.text
    completed = re.compile(r'<td>Completed</td><td class="num">4</td>')
    deadline = time.monotonic() + 30
    while not completed.search(client.get("/imports", headers=EN).text):
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 4
    assert client.get(mapping_url).status_code == 404, "the uploaded file is deleted"
    assert "list.csv" in client.get("/imports").text


def test_uploads_that_are_not_lists_are_refused_on_the_spot(
    db: Database, client: TestClient, tmp_path: Path
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    token = csrf_token(client, "/imports")
    response = client.post(
        "/imports",
        data={"csrf_token": token, "source": "x", "kind": "camp_list"},
        files={"file": ("list.pdf", b"%PDF-1.4", "application/pdf")},
        headers=EN,
    )
    assert response.status_code == 400
    assert "only .csv and .xlsx" in response.text
    no_csrf = client.post(
        "/imports",
        data={"source": "x"},
        files={"file": ("list.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert no_csrf.status_code == 403


def refused(client: TestClient, name: str, content: bytes) -> str:
    token = csrf_token(client, "/imports")
    response = client.post(
        "/imports",
        data={"csrf_token": token, "source": "Camp list (synthetic)", "kind": "camp_list"},
        files={"file": (name, content, "text/csv")},
        headers=EN,
        follow_redirects=False,
    )
    assert response.status_code == 400, response.text[-1500:]
    return response.text


def _nothing_kept(db: Database, client: TestClient) -> None:
    """A refused upload leaves no import run and no file in the uploads folder."""
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 0
    data_dir = cast(FastAPI, client.app).state.settings.resolved_data_dir
    assert not any((data_dir / "imports").iterdir()), "a refused upload is not kept"


def test_unreadable_uploads_are_refused_under_the_users_own_file_name(
    db: Database, client: TestClient
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    binary = refused(client, "bin.csv", bytes(range(256)))
    assert "bin.csv is not a text CSV in UTF-8 or cp1251" in binary
    empty = refused(client, "empty.csv", b"")
    assert "empty.csv is empty" in empty
    # A name is the user's input: only its last part is shown, never a path of ours or theirs.
    for name, shown in (
        ("../../etc/passwd/<b>empty.csv", "&lt;b&gt;empty.csv"),
        ("C:\\Users\\olena\\empty.csv", "empty.csv"),
    ):
        page = refused(client, name, b"")
        assert re.search(r"([^>\s]*) is empty", page)[1] == shown  # type: ignore[index]
        assert "etc/passwd" not in page and "olena" not in page
    for page in (binary, empty):
        assert not re.search(r"[A-Za-z0-9_-]{22}\.csv", page), "the server's own name is not shown"
    _nothing_kept(db, client)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_a_header_with_a_field_past_the_csv_limit_is_refused_in_one_line(
    db: Database, client: TestClient, tmp_path: Path
) -> None:
    """A first line of 200,000 characters without a separator (a dump, a quote never closed
    on the header): the csv module's own error was a 500 here and a traceback from
    `ridni import`, which reads the header the same way."""
    with db.session() as session:
        make_user(session)
    login(client)
    content = b"a" * 200_000 + "\r\n1,Шевченко\r\n".encode()
    page = refused(client, "long.csv", content)
    assert "long.csv, line 1: a field runs on for more than 131072 characters" in page
    _nothing_kept(db, client)
    path = tmp_path / "long.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="line 1: a field runs on"):
        open_table(path)


def test_a_first_line_that_is_no_header_is_refused_at_the_upload(
    db: Database, client: TestClient, tmp_path: Path
) -> None:
    """Not a header (a list on one line, a dump): the mapping page offered each column in nine
    lists, 35 MB of page for this 0.9 MB file, gigabytes for one the upload limit allows."""
    with db.session() as session:
        make_user(session)
    login(client)
    header = ",".join(f"c{i}" for i in range(100_000))
    content = f"{header}\r\n1\r\n".encode()
    page = refused(client, "wide.csv", content)
    assert "wide.csv: the first line has 100000 columns; a list may have at most 1000." in page
    client.cookies.set("ridni_lang", "uk")
    ukrainian = refused(client, "wide.csv", content)
    assert "Файл wide.csv: перший рядок має 100000 колонок" in ukrainian
    _nothing_kept(db, client)
    path = tmp_path / "wide.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="100000 columns"):
        open_table(path)  # `ridni import` reads the header the same way
    # Or a few enormous names: 30 of 100,000 characters made a mapping page of 54 MB.
    client.cookies.set("ridni_lang", "en")
    long_names = ",".join(f"{'x' * 100_000}{chr(ord('a') + i)}" for i in range(30))
    page = refused(client, "long-names.csv", f"{long_names}\r\n1\r\n".encode())
    assert "long-names.csv: a column name on the first line is 100001 characters long." in page


def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused_at_the_upload(
    db: Database, client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decompression bomb: openpyxl read its shared strings whole into memory, so a small
    upload that unpacks to gigabytes could exhaust the server's. The zip's declared sizes are
    checked first (this one unpacks to 20 MB from ~20 KB; the limits are lowered to match)."""
    with db.session() as session:
        make_user(session)
    login(client)
    content = write_xlsx_bomb(tmp_path / "bomb.xlsx").read_bytes()
    assert len(content) < 100_000
    page = refused(client, "bomb.xlsx", content)
    assert re.search(r"bomb.xlsx holds a part that would unpack \d+ times larger than it is", page)
    assert "Save it as CSV (UTF-8) and import that, or split it into smaller files." in page
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED", 10 << 20)
    page = refused(client, "bomb.xlsx", content)
    assert "bomb.xlsx would unpack to 20 MiB; an XLSX list may unpack to at most 10 MiB." in page
    client.cookies.set("ridni_lang", "uk")
    assert "Файл bomb.xlsx розпакувався б у 20 МіБ" in refused(client, "bomb.xlsx", content)
    _nothing_kept(db, client)


def test_a_source_name_with_a_nul_is_stored_without_it(
    db: Database, client: TestClient, tmp_path: Path
) -> None:
    """A NUL (or another control character) pasted into the source's name: the page said the
    import had started, then on PostgreSQL the import stopped before its run was recorded
    (the source's title cannot hold a NUL), leaving no trace and nothing imported; SQLite
    kept the NUL in the title. The name is cleaned as every form's text is."""
    with db.session() as session:
        make_user(session)
    login(client)
    token = csrf_token(client, "/imports")
    path = write_csv(tmp_path / "list.csv", ROWS)
    nothing = client.post(
        "/imports",
        data={"csrf_token": token, "source": "\x00\u200b ", "kind": "camp_list"},
        files={"file": ("list.csv", path.read_bytes(), "text/csv")},
        headers=EN,
    )
    assert nothing.status_code == 400
    assert "Name the source of the list" in nothing.text
    uploaded = client.post(
        "/imports",
        data={"csrf_token": token, "source": "Camp\x00 list\x1b (synthetic)", "kind": "camp_list"},
        files={"file": ("list.csv", path.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    mapping_url = uploaded.headers["location"]
    form = {f"map_{field}": column for field, column in MAPPING["columns"].items()}
    form["csrf_token"] = csrf_token(client, mapping_url)
    assert client.post(f"{mapping_url}/run", data=form).status_code == 200
    deadline = time.monotonic() + 30
    while True:
        with db.session() as session:
            run = session.scalars(select(ImportRun)).first()
            if run is not None and run.finished_at is not None:
                break
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)
    assert run.rows_added == len(ROWS)
    with db.session() as session:
        assert session.scalars(select(Source.title)).all() == ["Camp list (synthetic)"]


def test_an_import_that_fails_before_its_run_is_recorded_is_listed_as_failed(
    db: Database,
    client: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The database lost while the run is being recorded, or a bug: the page said "The import
    has started", the error went to threading's excepthook only, and no run was ever listed."""
    with db.session() as session:
        make_user(session)
    login(client)

    def lost(*args: object, **kwargs: object) -> ImportRun:
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(routes, "start_run", lost)
    mapping_url = upload(client, write_csv(tmp_path / "list.csv", ROWS))
    form = {f"map_{field}": column for field, column in MAPPING["columns"].items()}
    form["csrf_token"] = csrf_token(client, mapping_url)
    started = client.post(f"{mapping_url}/run", data=form, headers=EN)
    assert "The import has started." in started.text
    failed = re.compile(r"<td>list.csv</td><td>Camp list \(synthetic\)</td><td>Failed</td>")
    deadline = time.monotonic() + 10
    while not failed.search(client.get("/imports", headers=EN).text):
        assert time.monotonic() < deadline, "the failed import is not listed"
        time.sleep(0.1)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0
        run = session.scalars(select(ImportRun)).one()
        assert run.finished_at is not None and run.file_sha256
    assert client.get(mapping_url).status_code == 404, "the uploaded file is deleted"
    logged = [r for r in caplog.records if r.name == "ridni.imports.routes"]
    assert logged and logged[0].exc_info is not None
    assert "server closed the connection" in str(logged[0].exc_info[1])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_import_whose_failure_cannot_be_recorded_is_logged(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The database is down: nothing can be recorded, so the log is the trace (and nothing
    escapes to threading's excepthook)."""

    def down(*args: object, **kwargs: object) -> ImportRun:
        raise RuntimeError("connection refused")

    monkeypatch.setattr(routes, "start_run", down)
    monkeypatch.setattr(routes, "record_failed_run", down)
    with write_csv(tmp_path / "list.csv", ROWS).open("rb") as handle:
        saved = uploads.save(
            tmp_path / "data", handle, "list.csv", "Camp list (synthetic)", "camp_list", 50
        )
    rules = mapping_from(MAPPING, "test mapping")
    routes._import_in_background(db, saved, rules, Options(), 0)  # raises nothing
    messages = [r.getMessage() for r in caplog.records if r.name == "ridni.imports.routes"]
    assert messages == [
        "import of an uploaded list 'list.csv' failed",
        "the failed import of 'list.csv' could not be recorded either",
    ]
    assert not saved.path.exists(), "the uploaded file is deleted"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_an_upload_already_imported_says_so_beside_the_imports(
    db: Database, client: TestClient, tmp_path: Path
) -> None:
    """The back button to the preview, a second click on Import once the first has finished,
    or a day's wait: the upload is gone, and every step said only "Nothing has this
    identifier. It may have been merged or removed." The list page now says what happened,
    with the import it became below, and nothing is imported twice."""
    with db.session() as session:
        make_user(session)
    login(client)
    mapping_url = upload(client, write_csv(tmp_path / "list.csv", ROWS))
    form = {f"map_{field}": column for field, column in MAPPING["columns"].items()}
    form["csrf_token"] = csrf_token(client, mapping_url)
    assert client.post(f"{mapping_url}/run", data=form).status_code == 200
    deadline = time.monotonic() + 30
    while client.get(mapping_url, headers=EN).status_code != 404:
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)
    gone = "This uploaded list is no longer here: it is deleted once imported, or after a day"
    for again in (
        client.get(mapping_url, headers=EN),
        client.post(f"{mapping_url}/preview", data=form, headers=EN),
        client.post(f"{mapping_url}/run", data=form, headers=EN),
    ):
        assert again.status_code == 404
        assert gone in again.text
        assert "Nothing has this identifier" not in again.text
        assert "<td>list.csv</td>" in again.text, "the import it became is listed"
    client.cookies.set("ridni_lang", "uk")
    assert "Цього завантаженого списку тут уже немає" in client.get(mapping_url).text
    assert "завантажте файл ще раз" in client.get("/imports/upload/not-a-token").text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 1
        assert session.scalar(select(func.count()).select_from(Record)) == len(ROWS)


def test_only_caseworkers_import(db: Database, client: TestClient) -> None:
    with db.session() as session:
        make_user(session, "analyst", role=RoleName.analyst)
    assert client.get("/imports", follow_redirects=False).status_code == 303
    login(client, "analyst")
    assert client.get("/imports").status_code == 403


def test_refusals_read_as_sentences_in_the_readers_language(
    db: Database, client: TestClient
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    client.cookies.set("ridni_lang", "uk")
    empty = refused(client, "empty.csv", b"")
    assert "Файл empty.csv порожній. Перший рядок має містити назви колонок." in empty
    binary = refused(client, "bin.csv", bytes(range(256)))
    assert "Файл bin.csv не є текстовим CSV у кодуванні UTF-8 або cp1251. Збережіть" in binary
    workbook = refused(client, "fake.xlsx", b"not a zip")
    assert "Файл fake.xlsx не вдається прочитати як книгу XLSX. Збережіть" in workbook
    for page in (empty, binary, workbook):
        assert not re.search(r"is empty|not a text CSV|not a readable XLSX|Save it from", page)
    # In English the same messages read as sentences too; the CLI keeps its one line.
    client.cookies.set("ridni_lang", "en")
    assert "empty.csv is empty. The first line must name the columns." in refused(
        client, "empty.csv", b""
    )
