"""Evidence with its chain of custody, claims and contradictions: pages and JSON API."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import select

from ridni.accounts.models import User
from ridni.errors import NotFoundError, RidniError
from ridni.evidence.claims import ClaimIn, create_claim, list_claims
from ridni.evidence.contradictions import find_contradictions
from ridni.evidence.ftm import ftm_lines
from ridni.evidence.models import (
    ClaimKind,
    CustodyAction,
    EvidenceKind,
    FileRole,
    InformationCredibility,
    Source,
    SourceReliability,
)
from ridni.evidence.schemas import (
    ClaimOut,
    ContradictionOut,
    CredibilityIn,
    CustodyIn,
    CustodyOut,
    EvidenceOut,
    ReliabilityIn,
)
from ridni.evidence.service import (
    EvidenceIn,
    Upload,
    collect,
    get_evidence,
    list_evidence,
    parse_utc,
    record,
    set_credibility,
    set_reliability,
    store_for,
)
from ridni.evidence.store import safe_name
from ridni.facilities.models import Activity
from ridni.facilities.problems import FieldError, FormLabels, plain, read_id
from ridni.i18n import N_
from ridni.ids import MAX_ID
from ridni.security.encryption import ring_of
from ridni.web.auth import ApiUser, DbSession, PageUser, get_settings, verify_csrf
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["evidence"])

EvidenceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The evidence item's identifier.")]
Optional = Annotated[str, Form(max_length=2000)]
MaybeFile = Annotated[UploadFile | None, File()]


# The upload, web capture, custody and claim forms: the labels their fields show, for messages.
EVIDENCE_FORM = FormLabels(
    labels={
        "title": N_("Title"),
        "kind": N_("Kind"),
        "file": N_("File"),
        "url": N_("Address (URL)"),
        "captured_at": N_("Captured at (UTC)"),
        "tool": N_("Capture tool"),
        "html": N_("HTML file"),
        "screenshot": N_("Screenshot"),
        "collector": N_("Collected by"),
        "source_id": N_("Source"),
        "facility_id": N_("Facility number"),
        "description": N_("Description"),
        "reason": N_("How and why it was collected"),
    }
)
CUSTODY_FORM = FormLabels(labels={"action": N_("Record"), "reason": N_("Why")})
CLAIM_FORM = FormLabels(
    labels={
        "source_id": N_("Source"),
        "kind": N_("Kind"),
        "statement": N_("Statement"),
        "facility_id": N_("Facility number"),
        "child_id": N_("Child number"),
        "on_date": N_("Date"),
        "quantity": N_("Number"),
        "measure": N_("What is counted"),
        "region": N_("Region"),
        "part_of_claim_id": N_("Part of the total in claim number"),
        "activity": N_("Activity"),
        "credibility": N_("Information credibility"),
    },
    notes={"source_id": N_("Choose the source.")},
)


def _uploads(*pairs: tuple[FileRole, UploadFile | None]) -> list[Upload]:
    return [
        Upload(role, upload.filename or "file", upload.file)
        for role, upload in pairs
        if upload is not None and upload.filename
    ]


def _evidence_in(
    user: User,
    title: str,
    kind: str,
    collector: str,
    description: str,
    source_id: str,
    facility_id: str,
    url: str,
    captured_at: str,
    tool: str,
    reason: str,
    files: list[Upload],
) -> EvidenceIn:
    if kind not in {k.value for k in EvidenceKind}:
        raise FieldError("kind", N_("unknown kind of evidence “{value}”"), value=plain(kind))
    return EvidenceIn(
        title=title,
        kind=EvidenceKind(kind),
        collector=collector or user.display_name,
        description=description,
        source_id=read_id(source_id, "source_id"),
        facility_id=read_id(facility_id, "facility_id"),
        url=url.strip() or None,
        captured_at=parse_utc(captured_at),
        tool=tool.strip() or None,
        reason=reason,
        files=files,
    )


# -- pages ----------------------------------------------------------------------------------


@pages.get("/evidence", response_class=HTMLResponse)
def evidence_page(request: Request, session: DbSession, user: PageUser) -> Response:
    return render(request, "evidence/list.html", items=list_evidence(session))


@pages.get("/evidence/new", response_class=HTMLResponse)
def new_evidence_page(request: Request, session: DbSession, user: PageUser) -> Response:
    return _new_form(request, session)


def _new_form(
    request: Request,
    session: DbSession,
    status: int = 200,
    values: dict[str, str] | None = None,
    refused: RidniError | None = None,
) -> Response:
    """The upload and web-capture forms; after a refusal, the form that was sent comes back
    with what was typed (never its files) and the message beside the field it names."""
    errors, error = EVIDENCE_FORM.refusal(refused) if refused is not None else ({}, None)
    sources = session.scalars(select(Source).order_by(Source.title)).all()
    values = values or {}
    return render(
        request,
        "evidence/new.html",
        status_code=status,
        error=error,
        errors=errors,
        values=values,
        sent="capture" if values.get("kind") == EvidenceKind.web_capture.value else "upload",
        kinds=[k for k in EvidenceKind if k is not EvidenceKind.web_capture],
        sources=sources,
        types=", ".join(sorted(get_settings(request).evidence_extensions)),
        max_mb=get_settings(request).evidence_max_mb,
    )


@pages.post("/evidence/new", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_evidence_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    title: Annotated[str, Form(max_length=300)],
    kind: Annotated[str, Form(max_length=32)],
    collector: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    source_id: Annotated[str, Form(max_length=20)] = "",
    facility_id: Annotated[str, Form(max_length=20)] = "",
    url: Optional = "",
    captured_at: Annotated[str, Form(max_length=40)] = "",
    tool: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=5000)] = "",
    file: MaybeFile = None,
    html: MaybeFile = None,
    screenshot: MaybeFile = None,
) -> Response:
    values = {
        "title": title, "kind": kind, "collector": collector, "description": description,
        "source_id": source_id, "facility_id": facility_id, "url": url,
        "captured_at": captured_at, "tool": tool, "reason": reason,
    }  # fmt: skip
    try:
        files = _uploads(
            (FileRole.original, file), (FileRole.html, html), (FileRole.screenshot, screenshot)
        )
        data = _evidence_in(
            user, title, kind, collector, description, source_id, facility_id, url,
            captured_at, tool, reason, files,
        )  # fmt: skip
        with session.begin_nested():  # a refused item leaves no row behind
            evidence = collect(
                session,
                store_for(get_settings(request), ring_of(session.get_bind().dialect)),
                data,
                user_id=user.id,
            )
    except RidniError as exc:
        session.expire_all()
        return _new_form(request, session, 400, values, exc)
    return RedirectResponse(f"/evidence/{evidence.id}", status_code=303)


@pages.get("/evidence/{evidence_id}", response_class=HTMLResponse)
def evidence_detail_page(
    request: Request, session: DbSession, user: PageUser, evidence_id: EvidenceId
) -> Response:
    return _detail(request, session, evidence_id)


def _detail(
    request: Request,
    session: DbSession,
    evidence_id: int,
    status: int = 200,
    values: dict[str, str] | None = None,
    refused: RidniError | None = None,
) -> Response:
    """The evidence page; after a refused custody entry, its form comes back with what was
    typed and the message beside the field it names."""
    errors, error = CUSTODY_FORM.refusal(refused) if refused is not None else ({}, None)
    return render(
        request,
        "evidence/detail.html",
        status_code=status,
        evidence=get_evidence(session, evidence_id),
        actions=[a for a in CustodyAction if a is not CustodyAction.collected],
        reliabilities=list(SourceReliability),
        credibilities=list(InformationCredibility),
        values=values or {},
        errors=errors,
        error=error,
    )


@pages.get("/evidence/{evidence_id}/files/{file_id}")
def evidence_file(
    request: Request,
    session: DbSession,
    user: PageUser,
    evidence_id: EvidenceId,
    file_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """Opening an original is itself a custody event: who looked at it, when."""
    evidence = get_evidence(session, evidence_id)
    item = next((f for f in evidence.files if f.id == file_id), None)
    if item is None:
        raise NotFoundError(
            N_("evidence #{evidence_id} has no file {file_id}"),
            evidence_id=evidence_id,
            file_id=file_id,
        )
    record(
        session,
        evidence.id,
        CustodyAction.viewed,
        actor=user.username,
        reason=f"opened {item.filename} in the web interface",
        user_id=user.id,
    )
    store = store_for(get_settings(request), ring_of(session.get_bind().dialect))
    return StreamingResponse(
        store.read(item.stored_path),
        media_type=item.media_type,
        headers={"content-disposition": _attachment(item.filename)},
    )


def _attachment(filename: str) -> str:
    """A Content-Disposition that survives any file name (RFC 6266 / 5987), also one stored
    before names were cleaned (a NUL in it would break the header and drop the connection)."""
    name = safe_name(filename)
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@pages.post("/evidence/{evidence_id}/custody", dependencies=[Depends(verify_csrf)])
def custody_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    evidence_id: EvidenceId,
    action: Annotated[CustodyAction, Form()],
    reason: Annotated[str, Form(max_length=5000)],
) -> Response:
    try:
        with session.begin_nested():  # a refused entry leaves nothing in the log
            record(
                session, evidence_id, action, actor=user.username, reason=reason, user_id=user.id
            )
    except FieldError as exc:
        session.expire_all()
        values = {"action": action.value, "reason": reason}
        return _detail(request, session, evidence_id, 400, values, exc)
    return RedirectResponse(f"/evidence/{evidence_id}#custody", status_code=303)


@pages.post("/evidence/{evidence_id}/reliability", dependencies=[Depends(verify_csrf)])
def reliability_page(
    session: DbSession,
    user: PageUser,
    evidence_id: EvidenceId,
    reliability: Annotated[SourceReliability, Form()],
) -> Response:
    set_reliability(session, evidence_id, reliability, actor=user.username, user_id=user.id)
    return RedirectResponse(f"/evidence/{evidence_id}#grades", status_code=303)


@pages.post("/evidence/{evidence_id}/credibility", dependencies=[Depends(verify_csrf)])
def credibility_page(
    session: DbSession,
    user: PageUser,
    evidence_id: EvidenceId,
    credibility: Annotated[InformationCredibility, Form()],
) -> Response:
    set_credibility(session, evidence_id, credibility, actor=user.username, user_id=user.id)
    return RedirectResponse(f"/evidence/{evidence_id}#grades", status_code=303)


@pages.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, session: DbSession, user: PageUser) -> Response:
    return _claims(request, session)


def _claims(
    request: Request,
    session: DbSession,
    status: int = 200,
    values: dict[str, str] | None = None,
    refused: ValidationError | RidniError | None = None,
) -> Response:
    """The claims page; after a refusal, the claim form comes back with what was typed and
    the message beside the field it names."""
    errors, error = CLAIM_FORM.refusal(refused) if refused is not None else ({}, None)
    return render(
        request,
        "evidence/claims.html",
        status_code=status,
        error=error,
        errors=errors,
        values=values or {},
        claims=list_claims(session),
        contradictions=find_contradictions(session),
        sources=session.scalars(select(Source).order_by(Source.title)).all(),
        kinds=list(ClaimKind),
        activities=list(Activity),
        credibilities=list(InformationCredibility),
    )


@pages.post("/claims", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_claim_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    kind: Annotated[str, Form(max_length=32)],
    statement: Annotated[str, Form(max_length=5000)],
    source_id: Annotated[str, Form(max_length=20)] = "",
    facility_id: Annotated[str, Form(max_length=20)] = "",
    child_id: Annotated[str, Form(max_length=20)] = "",
    on_date: Annotated[str, Form(max_length=20)] = "",
    quantity: Annotated[str, Form(max_length=20)] = "",
    measure: Annotated[str, Form(max_length=200)] = "",
    region: Annotated[str, Form(max_length=200)] = "",
    part_of_claim_id: Annotated[str, Form(max_length=20)] = "",
    activity: Annotated[str, Form(max_length=32)] = "",
    credibility: Annotated[str, Form(max_length=2)] = "6",
) -> Response:
    values = {
        "source_id": source_id, "kind": kind, "statement": statement,
        "facility_id": facility_id, "child_id": child_id, "on_date": on_date,
        "quantity": quantity, "measure": measure, "region": region,
        "part_of_claim_id": part_of_claim_id, "activity": activity, "credibility": credibility,
    }  # fmt: skip
    try:
        data = ClaimIn.model_validate(
            {
                "source_id": read_id(source_id, "source_id"),
                "kind": kind,
                "statement": statement,
                "facility_id": read_id(facility_id, "facility_id"),
                "child_id": read_id(child_id, "child_id"),
                "on_date": on_date or None,
                "quantity": read_id(quantity, "quantity"),
                "measure": measure or None,
                "region": region or None,
                "part_of_claim_id": read_id(part_of_claim_id, "part_of_claim_id"),
                "activity": activity or None,
                "credibility": credibility,
            }
        )
        with session.begin_nested():  # a refused claim leaves no row behind
            create_claim(session, data)
    except (ValidationError, RidniError) as exc:
        session.expire_all()
        return _claims(request, session, 400, values, exc)
    return RedirectResponse("/claims", status_code=303)


# -- API ------------------------------------------------------------------------------------


@api.get("/evidence", response_model=list[EvidenceOut], summary="Evidence items, newest first")
def list_evidence_api(session: DbSession, user: ApiUser) -> list[EvidenceOut]:
    return [EvidenceOut.of(e) for e in list_evidence(session)]


@api.post(
    "/evidence",
    response_model=EvidenceOut,
    status_code=201,
    summary="Upload evidence, or register a web capture",
    responses={400: {"description": "Too large, type not accepted, capture time missing…"}},
)
def create_evidence_api(
    request: Request,
    session: DbSession,
    user: ApiUser,
    title: Annotated[str, Form(max_length=300)],
    kind: Annotated[EvidenceKind, Form()],
    collector: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    source_id: Annotated[str, Form(max_length=20)] = "",
    facility_id: Annotated[str, Form(max_length=20)] = "",
    url: Optional = "",
    captured_at: Annotated[
        str, Form(max_length=40, description="UTC, e.g. 2024-05-01T14:30:00Z")
    ] = "",
    tool: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=5000)] = "",
    file: MaybeFile = None,
    html: MaybeFile = None,
    screenshot: MaybeFile = None,
) -> EvidenceOut:
    """Multipart form. A file is stored as an immutable original with its SHA-256; a web capture
    (`kind=web_capture`) needs `url`, `captured_at` and its `html` and/or `screenshot` file."""
    files = _uploads(
        (FileRole.original, file), (FileRole.html, html), (FileRole.screenshot, screenshot)
    )
    data = _evidence_in(
        user, title, kind.value, collector, description, source_id, facility_id, url,
        captured_at, tool, reason, files,
    )  # fmt: skip
    evidence = collect(
        session,
        store_for(get_settings(request), ring_of(session.get_bind().dialect)),
        data,
        user_id=user.id,
    )
    return EvidenceOut.of(get_evidence(session, evidence.id))


@api.get("/evidence/{evidence_id}", response_model=EvidenceOut, summary="One evidence item")
def read_evidence_api(session: DbSession, user: ApiUser, evidence_id: EvidenceId) -> EvidenceOut:
    return EvidenceOut.of(get_evidence(session, evidence_id))


@api.post(
    "/evidence/{evidence_id}/custody",
    response_model=CustodyOut,
    status_code=201,
    summary="Append a custody entry (transferred, viewed, analysed, exported)",
)
def custody_api(
    session: DbSession, user: ApiUser, evidence_id: EvidenceId, data: CustodyIn
) -> CustodyOut:
    event = record(
        session, evidence_id, data.action, actor=user.username, reason=data.reason, user_id=user.id
    )
    return CustodyOut.of(event)


@api.put(
    "/evidence/{evidence_id}/reliability",
    response_model=EvidenceOut,
    summary="Grade the source's reliability (A–F)",
)
def reliability_api(
    session: DbSession, user: ApiUser, evidence_id: EvidenceId, data: ReliabilityIn
) -> EvidenceOut:
    set_reliability(session, evidence_id, data.reliability, actor=user.username, user_id=user.id)
    return EvidenceOut.of(get_evidence(session, evidence_id))


@api.put(
    "/evidence/{evidence_id}/credibility",
    response_model=EvidenceOut,
    summary="Grade the information's credibility (1–6)",
)
def credibility_api(
    session: DbSession, user: ApiUser, evidence_id: EvidenceId, data: CredibilityIn
) -> EvidenceOut:
    set_credibility(session, evidence_id, data.credibility, actor=user.username, user_id=user.id)
    return EvidenceOut.of(get_evidence(session, evidence_id))


@api.get("/claims", response_model=list[ClaimOut], tags=["claims"], summary="Every claim")
def list_claims_api(session: DbSession, user: ApiUser) -> list[ClaimOut]:
    return [ClaimOut.of(c) for c in list_claims(session)]


@api.post(
    "/claims", response_model=ClaimOut, status_code=201, tags=["claims"], summary="Record a claim"
)
def create_claim_api(session: DbSession, user: ApiUser, data: ClaimIn) -> ClaimOut:
    claim = create_claim(session, data)
    session.refresh(claim)
    return ClaimOut.of(claim)


@api.get(
    "/contradictions",
    response_model=list[ContradictionOut],
    tags=["claims"],
    summary="Where sources disagree",
)
def contradictions_api(session: DbSession, user: ApiUser) -> list[ContradictionOut]:
    return [ContradictionOut.of(c) for c in find_contradictions(session)]


@api.get(
    "/export/ftm.jsonl",
    tags=["export"],
    summary="FollowTheMoney entities, one JSON object per line (no child is ever included)",
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def ftm_export_api(session: DbSession, user: ApiUser) -> Response:
    body = "".join(ftm_lines(session))
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"content-disposition": 'attachment; filename="ridni-ftm.jsonl"'},
    )
