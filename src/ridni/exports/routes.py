"""Export pages and API: list exports (CSV/XLSX) and a child's PDF dossier.

The guard writes each request's audit event; these routes add what was exported (fields,
filters, rows, the file's SHA-256) and the reason the user gave (``request.state``).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from ridni.accounts.models import Organisation
from ridni.cases.models import ChildStatus
from ridni.cases.routes import ChildId
from ridni.cases.service import Filters, get_child, oblasts
from ridni.exports.access import Exporter
from ridni.exports.archive import Produced, ReasonMissing, WeakPassword
from ridni.exports.audit import DOSSIER_ACTION, LIST_ACTION, dossier_detail, list_detail
from ridni.exports.dossier import export_dossier
from ridni.exports.fields import (
    DEFAULT_FIELDS,
    FIELDS,
    FieldNotAllowed,
    UnknownField,
    allowed_fields,
)
from ridni.exports.formats import ListFormat
from ridni.exports.lists import ListRequest, export_list
from ridni.form_input import optional_int
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.messages import error_text
from ridni.web.auth import ApiUser, DbSession, PageUser, get_settings, verify_csrf
from ridni.web.errors import invalid
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["exports"])

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The export: an AES-256 encrypted ZIP when it holds personal data "
        "(header `X-Ridni-Encrypted: aes-256`), else the CSV or XLSX itself.",
        "content": {
            "application/zip": {},
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        },
    },
    403: {"description": "Your role may not export these fields."},
    422: {"description": "An unknown field, a missing reason or a too short password."},
}
DOSSIER_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The PDF dossier inside an AES-256 encrypted ZIP.",
        "content": {"application/zip": {}},
    },
    404: {"description": "No child has this identifier (or it is outside your scope)."},
    422: {"description": "A missing reason or a too short password."},
}


def _exporter(request: Request, channel: str) -> Exporter:
    return Exporter.of_access(request.state.access, channel)


def _download(produced: Produced, rows: int | None = None) -> Response:
    name = produced.filename
    headers = {
        "content-disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
        "x-ridni-encrypted": "aes-256" if produced.encrypted else "no",
        "x-ridni-sha256": produced.sha256,
        "cache-control": "no-store",
    }
    if rows is not None:
        headers["x-ridni-rows"] = str(rows)
    return StreamingResponse(produced.chunks(), media_type=produced.media_type, headers=headers)


def _problem_field(exc: Exception) -> str:
    if isinstance(exc, WeakPassword):
        return "password"
    if isinstance(exc, ReasonMissing):
        return "reason"
    return "fields"


# -- pages ----------------------------------------------------------------------------------------


def _list_page(
    request: Request, session: DbSession, status_code: int = 200, **context: Any
) -> Response:
    exporter = _exporter(request, "web")
    context.setdefault("chosen", list(DEFAULT_FIELDS))
    context.setdefault("values", {})
    return render(
        request,
        "exports/list.html",
        status_code=status_code,
        fields=[FIELDS[name] for name in allowed_fields(exporter.names_allowed)],
        names_allowed=exporter.names_allowed,
        statuses=list(ChildStatus),
        oblasts=oblasts(session),
        organisations=session.execute(
            select(Organisation.id, Organisation.name).order_by(Organisation.name)
        ).all(),
        min_password=get_settings(request).export_password_min_length,
        **context,
    )


@pages.get("/exports", response_class=HTMLResponse)
def export_page(request: Request, session: DbSession, user: PageUser) -> Response:
    return _list_page(request, session)


@pages.post("/exports", dependencies=[Depends(verify_csrf)])
def export_form(
    request: Request,
    session: DbSession,
    user: PageUser,
    fields: Annotated[list[str], Form(max_length=len(FIELDS) * 2)] = [],  # noqa: B006
    status: Annotated[str, Form(max_length=32)] = "",
    oblast: Annotated[str, Form(max_length=100)] = "",
    organisation: Annotated[str, Form(max_length=20)] = "",
    format: Annotated[str, Form(max_length=8)] = "csv",
    password: Annotated[str, Form(max_length=1024)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    filters = Filters(
        status=ChildStatus(status) if status in {s.value for s in ChildStatus} else None,
        oblast=oblast or None,
        organisation_id=optional_int(organisation, 1, MAX_ID),
    )
    known_format = format in {f.value for f in ListFormat}
    chosen = ListFormat(format) if known_format else ListFormat.csv
    exporter = _exporter(request, "web")
    values = {
        "status": status,
        "oblast": oblast,
        "organisation": organisation,
        "reason": reason,
        "format": chosen.value,
    }
    # A filter the form does not offer (a typo in a scripted request) would widen the export
    # to everything in scope: refuse it instead.
    offered_organisations = set(session.scalars(select(Organisation.id)))
    if (
        (status and filters.status is None)
        or (organisation and filters.organisation_id not in offered_organisations)
        or (oblast and oblast not in oblasts(session))
        or not known_format
    ):
        return _list_page(
            request,
            session,
            422,
            error=_("A filter or the format is not one of the options; nothing was exported."),
            chosen=fields,
            values=values,
        )
    try:
        export = export_list(
            session,
            exporter,
            ListRequest(fields, filters, chosen, password or None, reason),
            min_password=get_settings(request).export_password_min_length,
        )
    except (UnknownField, WeakPassword, ReasonMissing, FieldNotAllowed) as exc:
        code = 403 if isinstance(exc, FieldNotAllowed) else 422
        return _list_page(
            request, session, code, error=error_text(exc), chosen=fields, values=values
        )
    request.state.audit_action = LIST_ACTION
    request.state.audit_reason = export.reason
    request.state.audit_detail = list_detail(export, filters, exporter)
    return _download(export.produced, export.rows)


@pages.get("/children/{child_id}/dossier", response_class=HTMLResponse)
def dossier_page(
    request: Request, session: DbSession, user: PageUser, child_id: ChildId
) -> Response:
    child = get_child(session, child_id)
    return render(
        request,
        "exports/dossier.html",
        child=child,
        min_password=get_settings(request).export_password_min_length,
    )


@pages.post("/children/{child_id}/dossier", dependencies=[Depends(verify_csrf)])
def dossier_form(
    request: Request,
    session: DbSession,
    user: PageUser,
    child_id: ChildId,
    password: Annotated[str, Form(max_length=1024)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    exporter = _exporter(request, "web")
    try:
        export = export_dossier(
            session,
            exporter,
            child_id,
            password=password,
            reason=reason,
            min_password=get_settings(request).export_password_min_length,
        )
    except (WeakPassword, ReasonMissing) as exc:
        return render(
            request,
            "exports/dossier.html",
            status_code=422,
            child=get_child(session, child_id),
            min_password=get_settings(request).export_password_min_length,
            error=error_text(exc),
            reason=reason,
        )
    request.state.audit_action = DOSSIER_ACTION
    request.state.audit_reason = export.reason
    request.state.audit_detail = dossier_detail(export, exporter)
    return _download(export.produced)


# -- API ------------------------------------------------------------------------------------------


class FieldOut(BaseModel):
    name: str
    personal: bool = Field(description="Names or places: needs a reason and a password.")
    allowed: bool = Field(description="Whether your role may export it.")


class ListExportIn(BaseModel):
    fields: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1, max_length=64, description="Field names, in column order (GET fields)."
    )
    status: ChildStatus | None = None
    oblast: str | None = Field(default=None, max_length=100)
    organisation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    facility_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    format: ListFormat = ListFormat.csv
    password: str | None = Field(
        default=None, max_length=1024, description="Required when a field is personal."
    )
    reason: str = Field(default="", max_length=2000, description="Required with personal data.")


class DossierIn(BaseModel):
    password: str = Field(max_length=1024, description="Encrypts the ZIP holding the PDF.")
    reason: str = Field(max_length=2000, description="Why, and for whom.")


@api.get("/exports/fields", response_model=list[FieldOut], summary="Fields a list export can hold")
def fields_api(request: Request, user: ApiUser) -> list[FieldOut]:
    names = _exporter(request, "api").names_allowed
    return [
        FieldOut(name=f.name, personal=f.personal, allowed=names or not f.personal)
        for f in FIELDS.values()
    ]


@api.post(
    "/exports/list",
    summary="Export chosen fields of the children in your scope (CSV or XLSX)",
    response_class=Response,
    responses=FILE_RESPONSES,
)
def list_api(request: Request, session: DbSession, user: ApiUser, body: ListExportIn) -> Response:
    filters = Filters(
        status=body.status,
        oblast=body.oblast,
        organisation_id=body.organisation_id,
        facility_id=body.facility_id,
    )
    exporter = _exporter(request, "api")
    try:
        export = export_list(
            session,
            exporter,
            ListRequest(body.fields, filters, body.format, body.password, body.reason),
            min_password=get_settings(request).export_password_min_length,
        )
    except FieldNotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    except (UnknownField, WeakPassword, ReasonMissing) as exc:
        return invalid([(("body", _problem_field(exc)), str(exc), "value_error")])
    request.state.audit_action = LIST_ACTION
    request.state.audit_reason = export.reason
    request.state.audit_detail = list_detail(export, filters, exporter)
    return _download(export.produced, export.rows)


@api.post(
    "/children/{child_id}/dossier",
    summary="A child's PDF dossier, in an AES-256 encrypted ZIP",
    response_class=Response,
    responses=DOSSIER_RESPONSES,
)
def dossier_api(
    request: Request, session: DbSession, user: ApiUser, child_id: ChildId, body: DossierIn
) -> Response:
    exporter = _exporter(request, "api")
    try:
        export = export_dossier(
            session,
            exporter,
            child_id,
            password=body.password,
            reason=body.reason,
            min_password=get_settings(request).export_password_min_length,
        )
    except (WeakPassword, ReasonMissing) as exc:
        return invalid([(("body", _problem_field(exc)), str(exc), "value_error")])
    request.state.audit_action = DOSSIER_ACTION
    request.state.audit_reason = export.reason
    request.state.audit_detail = dossier_detail(export, exporter)
    return _download(export.produced)
