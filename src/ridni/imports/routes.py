"""The import pages: upload, map the columns, preview every row's problems, then import."""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Request,
    UploadFile,
    status,
)
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from ridni.accounts.models import RoleName, User
from ridni.cases.models import RecordKind
from ridni.errors import InputError, NotFoundError
from ridni.evidence.models import Source
from ridni.i18n import N_
from ridni.imports import uploads
from ridni.imports.mapping import FIELDS, Mapping, guess, mapping_from
from ridni.imports.models import ImportRun
from ridni.imports.preview import preview
from ridni.imports.reading import open_table
from ridni.imports.runner import Options, record_failed_run, run_import, start_run
from ridni.messages import error_text
from ridni.storage.engine import Database
from ridni.web.auth import DbSession, PageUser, get_settings, verify_csrf
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
IMPORT_ROLES = (RoleName.caseworker, RoleName.org_admin, RoleName.system_admin)
SHOWN_ERRORS = 50


def _may_import(user: User) -> None:
    if not any(user.has_role(role) for role in IMPORT_ROLES):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "importing lists is for caseworkers")


def _list_page(
    request: Request, session: DbSession, error: str | None = None, status_code: int = 400
) -> Response:
    started = request.query_params.get("started") == "1"
    runs = session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(20)).all()
    sources = {s.id: s.title for s in session.scalars(select(Source))}
    return render(
        request,
        "imports/list.html",
        status_code=status_code if error else 200,
        runs=runs,
        sources=sources,
        kinds=list(RecordKind),
        error=error,
        started=started,
        max_mb=get_settings(request).import_max_mb,
    )


@pages.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, session: DbSession, user: PageUser) -> Response:
    _may_import(user)
    return _list_page(request, session)


@pages.post("/imports", dependencies=[Depends(verify_csrf)])
def upload(
    request: Request,
    session: DbSession,
    user: PageUser,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(max_length=300)] = "",
    kind: Annotated[RecordKind, Form()] = RecordKind.camp_list,
) -> Response:
    _may_import(user)
    settings = get_settings(request)
    try:
        saved = uploads.save(
            settings.resolved_data_dir,
            file.file,
            file.filename or "list",
            source,
            kind.value,
            settings.import_max_mb,
        )
    except InputError as exc:
        return _list_page(request, session, error_text(exc))
    try:  # refuse unreadable files at once, not two pages later, and keep nothing of them
        open_table(saved.path, name=saved.file_name)
    except InputError as exc:
        uploads.discard(saved)
        return _list_page(request, session, error_text(exc))
    return RedirectResponse(f"/imports/upload/{saved.token}", status.HTTP_303_SEE_OTHER)


def _upload(request: Request, session: DbSession, token: str) -> uploads.Upload | Response:
    """The upload, or the list page saying it is gone (imported already: the back button, a
    second click on Import; or a day old), with the imports it may have become below."""
    try:
        return uploads.find(get_settings(request).resolved_data_dir, token)
    except NotFoundError as exc:
        return _list_page(request, session, error_text(exc), status_code=404)


@pages.get("/imports/upload/{token}", response_class=HTMLResponse)
def mapping_page(request: Request, session: DbSession, token: str, user: PageUser) -> Response:
    _may_import(user)
    saved = _upload(request, session, token)
    if isinstance(saved, Response):
        return saved
    table = open_table(saved.path, name=saved.file_name)
    return render(
        request,
        "imports/mapping.html",
        upload=saved,
        header=[h for h in table.header if h],
        fields=FIELDS,
        chosen=guess(table.header),
        encoding=table.encoding,
    )


def _form_mapping(form: dict[str, str], kind: str) -> Mapping:
    columns = {name: form[f"map_{name}"] for name in FIELDS if form.get(f"map_{name}")}
    return mapping_from({"columns": columns, "kind": kind}, "the mapping")


@pages.post("/imports/upload/{token}/preview", dependencies=[Depends(verify_csrf)])
async def preview_page(
    request: Request, session: DbSession, token: str, user: PageUser
) -> Response:
    _may_import(user)
    saved = _upload(request, session, token)
    if isinstance(saved, Response):
        return saved
    form = {k: str(v) for k, v in (await request.form()).items()}
    table = open_table(saved.path, name=saved.file_name)
    try:
        rules = _form_mapping(form, saved.kind)
        found = preview(table, rules)
    except InputError as exc:
        return render(
            request,
            "imports/mapping.html",
            status_code=400,
            upload=saved,
            header=[h for h in table.header if h],
            fields=FIELDS,
            chosen={k[4:]: v for k, v in form.items() if k.startswith("map_") and v},
            encoding=table.encoding,
            error=error_text(exc),
        )
    return render(
        request,
        "imports/preview.html",
        upload=saved,
        found=found,
        shown_errors=found.errors[:SHOWN_ERRORS],
        mapping=rules,
        form={k: v for k, v in form.items() if k.startswith("map_")},
    )


def _import_in_background(
    db: Database, saved: uploads.Upload, rules: Mapping, options: Options, invalid: int
) -> None:
    """In a thread of its own, so it outlives the request and its transaction (SQLite allows
    one writer at a time): the list page shows the run's progress and outcome.

    Every failure is logged here (none reaches threading's excepthook, which would print it
    and nothing more). Once the run is recorded, :func:`run_import` marks it failed itself; a
    failure before that (the database lost during :func:`start_run`, the file unreadable, a
    bug) is recorded as a failed run, so the list page shows it rather than nothing."""
    run = None
    try:
        table = open_table(saved.path, name=saved.file_name)
        run = start_run(db, table, rules, saved.source, options, invalid, saved.file_name)
        run_import(db, table, rules, run, options)
    except Exception:
        log.exception("import of an uploaded list %r failed", saved.file_name)
        if run is None:
            _record_failure(db, saved, rules, options, invalid)
    finally:
        uploads.discard(saved)


def _record_failure(
    db: Database, saved: uploads.Upload, rules: Mapping, options: Options, invalid: int
) -> None:
    try:
        record_failed_run(db, saved.path, rules, saved.source, options, invalid, saved.file_name)
    except Exception:
        # The database cannot be written (it is down, as it may be when start_run failed):
        # the run cannot be shown on the page, and the log is the only trace of it.
        log.exception("the failed import of %r could not be recorded either", saved.file_name)


@pages.post("/imports/upload/{token}/run", dependencies=[Depends(verify_csrf)])
async def run_page(request: Request, session: DbSession, token: str, user: PageUser) -> Response:
    _may_import(user)
    settings = get_settings(request)
    saved = _upload(request, session, token)
    if isinstance(saved, Response):
        return saved
    form = {k: str(v) for k, v in (await request.form()).items()}
    table = open_table(saved.path, name=saved.file_name)
    rules = _form_mapping(form, saved.kind)
    found = preview(table, rules)
    if found.invalid and form.get("skip_invalid") != "on":
        raise InputError(
            N_("{count} row(s) cannot be imported; nothing was written"),
            N_("tick “skip the rows with errors”, or fix the file and upload it again"),
            count=found.invalid,
        )
    options = Options(
        batch_size=settings.import_batch_size,
        auto_link=settings.import_auto_link,
        user_id=user.id,
        organisation_id=user.organisation_id,
        in_process=found.valid >= settings.import_process_from,
    )
    worker = threading.Thread(
        target=_import_in_background,
        args=(request.app.state.db, saved, rules, options, found.invalid),
        name=f"import-{token[:6]}",
        daemon=True,
    )
    worker.start()
    return RedirectResponse("/imports?started=1", status.HTTP_303_SEE_OTHER)
