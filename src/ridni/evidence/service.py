"""Collecting evidence, recording its custody, grading it and verifying it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO, Literal
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ridni.errors import InputError, NotFoundError
from ridni.evidence.custody import append, chain_problems
from ridni.evidence.models import (
    CustodyAction,
    CustodyEvent,
    Evidence,
    EvidenceFile,
    EvidenceKind,
    FileRole,
    InformationCredibility,
    Source,
    SourceReliability,
)
from ridni.evidence.store import EvidenceStore, StoredFile
from ridni.facilities.models import Facility
from ridni.facilities.problems import FieldError, on_field, plain
from ridni.form_input import clean_text
from ridni.i18n import N_
from ridni.security.keys import KeyRing
from ridni.settings import Settings

MIB = 1024 * 1024


def store_for(settings: Settings, ring: KeyRing) -> EvidenceStore:
    return EvidenceStore(
        settings.resolved_data_dir,
        ring=ring,
        max_bytes=settings.evidence_max_mb * MIB,
        extensions=settings.evidence_extensions,
    )


@dataclass(frozen=True, slots=True)
class Upload:
    role: FileRole
    filename: str
    stream: BinaryIO


@dataclass(slots=True)
class EvidenceIn:
    title: str
    kind: EvidenceKind
    collector: str
    description: str = ""
    source_id: int | None = None
    facility_id: int | None = None
    url: str | None = None
    captured_at: datetime | None = None
    tool: str | None = None
    reason: str = ""
    files: list[Upload] = field(default_factory=list)


# The form field each file comes in (a refusal of the file names it).
FILE_FIELDS = {FileRole.original: "file", FileRole.html: "html", FileRole.screenshot: "screenshot"}
# No web page was captured before the web existed; no other capture before photography.
FIRST_WEB_CAPTURE = datetime(1991, 1, 1, tzinfo=UTC)
FIRST_CAPTURE = datetime(1900, 1, 1, tzinfo=UTC)


@contextmanager
def _stored(store: EvidenceStore, uploads: list[Upload]) -> Iterator[list[StoredFile]]:
    """Ingest every file; if anything later fails, remove the originals this call created."""
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            try:
                stored.append(store.ingest(upload.stream, upload.filename))
            except InputError as exc:
                raise on_field(FILE_FIELDS.get(upload.role, "file"), exc) from None
        yield stored
    except BaseException:
        for item in stored:
            store.discard(item)
        raise


def collect(
    session: Session, store: EvidenceStore, data: EvidenceIn, *, user_id: int | None = None
) -> Evidence:
    """Save files and their evidence row with its first custody entry, all or nothing."""
    _check(session, store, data)
    with _stored(store, data.files) as stored:
        primary = stored[0] if stored else None
        evidence = Evidence(
            title=clean_text(data.title),
            kind=data.kind,
            description=data.description,
            source_id=data.source_id,
            facility_id=data.facility_id,
            sha256=primary.sha256 if primary else None,
            media_type=primary.media_type if primary else None,
            size_bytes=primary.size_bytes if primary else None,
            original_path=primary.stored_path if primary else None,
            url=data.url or None,
            captured_at=data.captured_at,
            collector=data.collector.strip(),
            tool=data.tool or None,
        )
        evidence.files = [
            EvidenceFile(
                role=upload.role,
                filename=item.filename,
                media_type=item.media_type,
                size_bytes=item.size_bytes,
                sha256=item.sha256,
                stored_path=item.stored_path,
            )
            for upload, item in zip(data.files, stored, strict=True)
        ]
        session.add(evidence)
        session.flush()
        append(
            session,
            evidence,
            CustodyAction.collected,
            actor=data.collector,
            reason=data.reason or "collected",
            user_id=user_id,
        )
        session.flush()
        return evidence


def _check(session: Session, store: EvidenceStore, data: EvidenceIn) -> None:
    if not clean_text(data.title):
        raise FieldError("title", N_("evidence needs a title"))
    if not clean_text(data.collector):
        raise FieldError("collector", N_("say who collected the evidence"))
    for upload in data.files:
        try:
            store.check_name(upload.filename)
        except InputError as exc:
            raise on_field(FILE_FIELDS.get(upload.role, "file"), exc) from None
    if data.kind is EvidenceKind.web_capture:
        _check_capture(data)
    elif not data.files:
        raise FieldError("file", N_("choose a file to upload"))
    if data.captured_at is not None:
        first = FIRST_WEB_CAPTURE if data.kind is EvidenceKind.web_capture else FIRST_CAPTURE
        if data.captured_at > datetime.now(UTC):
            raise FieldError(
                "captured_at", N_("the capture time is in the future"), N_("times are in UTC")
            )
        if data.captured_at < first:
            raise FieldError(
                "captured_at",
                N_("the capture time {value} is before {first}"),
                N_("check the year"),
                value=data.captured_at.date().isoformat(),
                first=first.year,
            )
    if data.source_id is not None and session.get(Source, data.source_id) is None:
        raise FieldError("source_id", N_("no source with id {value}"), value=data.source_id)
    if data.facility_id is not None and session.get(Facility, data.facility_id) is None:
        raise FieldError("facility_id", N_("no facility with id {value}"), value=data.facility_id)


def _check_capture(data: EvidenceIn) -> None:
    """A web capture says where (an http or https address with a host) and when it was made."""
    if not _web_address(data.url or ""):
        raise FieldError(
            "url", N_("a web capture needs the address it was captured from (http/https)")
        )
    if data.captured_at is None:
        raise FieldError(
            "captured_at",
            N_("a web capture needs its capture time (UTC)"),
            N_("give the time the page was captured, e.g. 2024-05-01T14:30:00Z"),
        )
    if not data.files:
        raise FieldError("html", N_("a web capture needs its HTML file, its screenshot, or both"))


def _web_address(url: str) -> bool:
    """An http(s) address that names a host ("http://" alone does not)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    valid = parts.scheme in ("http", "https") and bool(host) and " " not in (host or " ")
    return valid and url.isprintable()


def parse_utc(text: str | None) -> datetime | None:
    """An ISO 8601 time; one without a zone is refused rather than guessed."""
    if text is None or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(
            "captured_at",
            N_("unreadable time “{value}”"),
            N_("use 2024-05-01T14:30:00Z"),
            value=plain(text),
        ) from None
    if value.tzinfo is None:
        raise FieldError(
            "captured_at",
            N_("the time “{value}” has no time zone"),
            N_("add Z for UTC"),
            value=plain(text),
        ) from None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # "0001-01-01T00:00+01:00" or "9999-12-31T23:59-01:00" has no UTC time (an
        # OverflowError, a 500 and a traceback): the calendar's edge, which the checks refuse
        # as before the first capture or in the future.
        edge = datetime.min if value.year == datetime.min.year else datetime.max
        return edge.replace(tzinfo=UTC)


def get_evidence(session: Session, evidence_id: int) -> Evidence:
    evidence = session.scalar(
        select(Evidence)
        .where(Evidence.id == evidence_id)
        .options(selectinload(Evidence.custody), selectinload(Evidence.files))
    )
    if evidence is None:
        raise NotFoundError(N_("no evidence with id {value}"), value=evidence_id)
    return evidence


def list_evidence(session: Session, facility_id: int | None = None) -> list[Evidence]:
    query = select(Evidence).order_by(Evidence.id.desc())
    if facility_id is not None:
        query = query.where(Evidence.facility_id == facility_id)
    return list(session.scalars(query).all())


def record(
    session: Session,
    evidence_id: int,
    action: CustodyAction,
    *,
    actor: str,
    reason: str,
    user_id: int | None = None,
) -> CustodyEvent:
    if action is CustodyAction.collected:
        raise FieldError("action", N_("“collected” is written once, when the evidence is added"))
    if not reason.strip():
        raise FieldError("reason", N_("say why (custody entries record who, when and why)"))
    return append(
        session,
        get_evidence(session, evidence_id),
        action,
        actor=actor,
        reason=reason.strip(),
        user_id=user_id,
    )


def set_reliability(
    session: Session, evidence_id: int, grade: SourceReliability, *, actor: str, user_id: int
) -> Evidence:
    """Source reliability (A–F), graded apart from credibility, each change in the log."""
    return _regrade(
        session, evidence_id, "reliability", "source reliability", grade, actor, user_id
    )


def set_credibility(
    session: Session, evidence_id: int, grade: InformationCredibility, *, actor: str, user_id: int
) -> Evidence:
    """Information credibility (1–6), graded apart from reliability, each change in the log."""
    return _regrade(
        session, evidence_id, "credibility", "information credibility", grade, actor, user_id
    )


def _regrade(
    session: Session,
    evidence_id: int,
    attribute: Literal["reliability", "credibility"],
    what: str,
    grade: SourceReliability | InformationCredibility,
    actor: str,
    user_id: int,
) -> Evidence:
    """The evidence's ``attribute`` set to ``grade``; a change is logged as analysed, saying
    ``what`` was graded, from which grade to which."""
    evidence = get_evidence(session, evidence_id)
    old = getattr(evidence, attribute)
    if old is not grade:
        reason = f"{what} {old.value} → {grade.value}"
        setattr(evidence, attribute, grade)
        append(
            session, evidence, CustodyAction.analysed, actor=actor, reason=reason, user_id=user_id
        )
    return evidence


@dataclass(frozen=True, slots=True)
class Verification:
    checked: int
    files: int
    problems: list[str]
    heads: dict[int, str | None]


def verify(
    session: Session, store: EvidenceStore, progress: Callable[[int, int], None] | None = None
) -> Verification:
    """Re-hash every original and re-check every custody log."""
    total = session.scalar(select(func.count(Evidence.id))) or 0
    problems: list[str] = []
    heads: dict[int, str | None] = {}
    files = 0
    query = select(Evidence).order_by(Evidence.id).options(selectinload(Evidence.files))
    for done, evidence in enumerate(session.scalars(query), start=1):
        events = list(
            session.scalars(
                select(CustodyEvent)
                .where(CustodyEvent.evidence_id == evidence.id)
                .order_by(CustodyEvent.id)
            )
        )
        problems += chain_problems(evidence, events)
        for item in evidence.files:
            files += 1
            actual = store.hash_of(item.stored_path)
            if actual is None:
                problems.append(f"evidence #{evidence.id}: {item.filename} is missing")
            elif actual != item.sha256:
                problems.append(
                    f"evidence #{evidence.id}: {item.filename} has changed "
                    f"(SHA-256 {actual[:12]}…, recorded {item.sha256[:12]}…)"
                )
        heads[evidence.id] = evidence.custody_head
        if progress:
            progress(done, total)
    return Verification(total, files, problems, heads)
