"""Receiving a tracing report: one case, one family record, one request, one trace.

The family gets a private status link (a random token; only its hash is stored) that shows the
case's status and nothing personal. Photos become evidence with SHA-256 and a custody entry.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.accounts.models import Organisation, OrganisationKind
from ridni.accounts.service import ensure_organisation
from ridni.cases.models import Child, ChildStatus, ChildStatusEvent, Record, RecordKind
from ridni.evidence.models import EvidenceKind, Source, SourceKind, SourceReliability
from ridni.evidence.service import EvidenceIn, Upload, collect
from ridni.evidence.store import EvidenceStore
from ridni.movements.models import Movement, MovementKind
from ridni.storage.types import utcnow
from ridni.tracing.models import Channel, Trace, TracingRequest
from ridni.tracing.report_form import Report

FORM_SOURCE = "Reports from families"


@dataclass(frozen=True)
class Received:
    request: TracingRequest
    trace: Trace
    child: Child
    token: str  # shown once to the family; never stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submission_key(values: Mapping[str, str], browser: str) -> str | None:
    """What makes a report "the same one sent again": the form's random submission key, the
    browser session it was sent from (its CSRF cookie) and everything typed. A corrected form
    sent again is a new report (the caseworker merges them), never silently dropped; another
    browser reusing a key is not taken for this one. None when the form carries no key."""
    key = values.get("submission", "").strip()
    if not (16 <= len(key) <= 64 and key.isascii() and key.isprintable()):
        return None
    typed = sorted(
        (name, value) for name, value in values.items() if name not in ("csrf_token", "submission")
    )
    return json.dumps([key, browser, typed], ensure_ascii=False)


def received_before(session: Session, key: str | None) -> TracingRequest | None:
    """The request a form with this submission key already made (a double click, a refresh)."""
    if key is None:
        return None
    return session.scalar(
        select(TracingRequest).where(TracingRequest.submission_hash == token_hash(key))
    )


def _source(session: Session, organisation: Organisation) -> Source:
    title = f"{FORM_SOURCE} — {organisation.name}"
    source = session.scalar(select(Source).where(Source.title == title))
    if source is None:
        source = Source(
            title=title,
            kind=SourceKind.family_report,
            publisher=organisation.name,
            organisation_id=organisation.id,
            reliability=SourceReliability.B,
        )
        session.add(source)
        session.flush()
    return source


def receive(
    session: Session,
    report: Report,
    *,
    channel: Channel,
    organisation: Organisation | None = None,
    intake_organisation: str = "Ridni intake",
    photos: list[Upload] | None = None,
    store: EvidenceStore | None = None,
    user_id: int | None = None,
    submission: str | None = None,
) -> Received:
    """Save a report; the caller's transaction commits it all or nothing."""
    if organisation is None:
        organisation = ensure_organisation(session, intake_organisation, OrganisationKind.ngo)
    source = _source(session, organisation)
    # Who the child is, as the family wrote it: the case starts from it, its record keeps it.
    identity = {
        "given_name": report.given_name,
        "family_name": report.family_name,
        "patronymic": report.patronymic or None,
        "sex": report.sex,
        "birth_date": report.birth_date,
        "birth_place": report.birth_place or None,
    }
    child = Child(
        **identity,
        status=ChildStatus.reported,
        consent_tracing=report.consent_tracing,
        consent_share=report.consent_share,
        organisation_id=organisation.id,
    )
    session.add(child)
    session.flush()
    session.add(
        ChildStatusEvent(
            child_id=child.id,
            to_status=ChildStatus.reported,
            user_id=user_id,
            reason=f"report received ({channel.value})",
            at=utcnow(),
        )
    )
    record = Record(
        child_id=child.id,
        source_id=source.id,
        source_ref=f"report-{uuid.uuid4()}",
        kind=RecordKind.family_report,
        **identity,
        organisation_id=organisation.id,
        consent_share=report.consent_share,
    )
    session.add(record)
    token = secrets.token_urlsafe(24)
    request = TracingRequest(
        status_token_hash=token_hash(token),
        submission_hash=token_hash(submission) if submission else None,
        channel=channel,
        inquirer_name=report.inquirer_name,
        inquirer_relation=report.inquirer_relation,
        inquirer_contact=report.inquirer_contact,
        organisation_id=organisation.id,
        consent_tracing=report.consent_tracing,
        consent_share=report.consent_share,
    )
    session.add(request)
    session.flush()
    trace = Trace(
        request_id=request.id,
        record_id=record.id,
        residence=report.residence or None,
        taken_from=report.taken_from or None,
        taken_on=report.taken_on,
        circumstances=report.circumstances,
        accompanied_by=report.accompanied_by or None,
        last_known_location=report.last_known_location or None,
        distinguishing_marks=report.distinguishing_marks,
    )
    session.add(trace)
    if report.taken_from or report.taken_on:
        session.add(
            Movement(
                child_id=child.id,
                sequence=1,
                kind=MovementKind.taken,
                on_date=report.taken_on,
                from_place=report.taken_from or None,
                source_id=source.id,
                notes="as the family reported it",
            )
        )
    session.flush()
    if photos and store is not None:
        trace.photos = [
            collect(
                session,
                store,
                EvidenceIn(
                    title=f"Photo sent with tracing request {request.id}",
                    kind=EvidenceKind.photo,
                    collector=f"{channel.value} ({organisation.name})",
                    source_id=source.id,
                    files=[upload],
                    reason="sent by the family",
                ),
                user_id=user_id,
            )
            for upload in photos
        ]
        session.flush()
    session.refresh(request)
    return Received(request=request, trace=trace, child=child, token=token)


@dataclass(frozen=True)
class FamilyView:
    """What the private status link shows: dates and statuses, never a name or a place."""

    received_at: str
    statuses: list[ChildStatus]


def family_view(session: Session, token: str) -> FamilyView | None:
    request = session.scalar(
        select(TracingRequest).where(TracingRequest.status_token_hash == token_hash(token))
    )
    if request is None:
        return None
    statuses = []
    for trace in request.traces:
        child = trace.record.child
        statuses.append(child.status if child else ChildStatus.reported)
    return FamilyView(received_at=request.created_at.date().isoformat(), statuses=statuses)
