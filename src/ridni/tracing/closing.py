"""Closing a tracing request, and reopening it.

A closed request is no longer matched: new lists raise no questions about its child, its
waiting questions leave the review queue (they stay on the request's page, and come back if
it is reopened), and "match again" refuses until it is reopened. Nothing is deleted. When the
family withdraws consent to tracing, the request records that too, and it can be reopened only
with their renewed consent. Who did it, the reason and their note go into the audit trail:
the web guard writes it for pages and the API, :mod:`ridni.cli.tracing` for the command line.

Messages are English templates marked for translation, with their values passed apart
(:class:`ridni.errors.RidniError`), so pages can show them in the reader's language.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ridni.errors import InputError
from ridni.storage.types import utcnow
from ridni.tracing.models import CloseReason, RequestStatus, TracingRequest

NOTE_LENGTH = (3, 500)


class AuditEntry(NamedTuple):
    """What the audit event of a close or reopen records beside who did it."""

    note: str  # the caller's note, without surrounding spaces
    detail: dict[str, Any]


def N_(message: str) -> str:
    """Marks a message for translation where it is shown (pybabel's default keyword)."""
    return message


def audit_note(note: str) -> str:
    """The note without surrounding spaces; refused unless it says why in a few words."""
    cleaned = note.strip()
    low, high = NOTE_LENGTH
    if not low <= len(cleaned) <= high:
        raise InputError(N_("Say why in {low} to {high} characters."), low=low, high=high)
    return cleaned


def close_request(item: TracingRequest, reason: CloseReason, note: str) -> AuditEntry:
    """Close ``item``; the note and the reason, for the audit event."""
    cleaned = audit_note(note)
    if item.status is RequestStatus.closed:
        raise InputError(N_("Tracing request {id} is already closed."), id=item.id)
    item.status = RequestStatus.closed
    item.closed_reason = reason
    item.closed_at = utcnow()
    if reason is CloseReason.consent_withdrawn:
        item.consent_tracing = False
    return AuditEntry(cleaned, {"close_reason": reason.value})


def reopen_request(item: TracingRequest, note: str, *, consent_renewed: bool = False) -> AuditEntry:
    """Reopen ``item``; the note and why it had been closed (which the request itself no
    longer shows), for the audit event."""
    cleaned = audit_note(note)
    if item.status is RequestStatus.open:
        raise InputError(N_("Tracing request {id} is open already."), id=item.id)
    withdrawn = item.closed_reason is CloseReason.consent_withdrawn
    if withdrawn and not consent_renewed:
        raise InputError(
            N_("The family withdrew consent to tracing for request {id}."),
            N_("Reopen it only with their renewed consent, and say so."),
            id=item.id,
        )
    detail: dict[str, Any] = {
        "closed_reason_was": item.closed_reason.value if item.closed_reason else None,
        "closed_at_was": item.closed_at.isoformat() if item.closed_at else None,
    }
    item.status = RequestStatus.open
    item.closed_reason = None
    item.closed_at = None
    if consent_renewed:
        item.consent_tracing = True
        detail["consent_renewed"] = True
    return AuditEntry(cleaned, detail)


def refuse_if_closed(item: TracingRequest) -> None:
    """Matching a closed request would ask questions nobody should answer."""
    if item.status is RequestStatus.closed:
        raise InputError(
            N_("Tracing request {id} is closed."),
            N_("Reopen it before matching it again."),
            id=item.id,
        )
