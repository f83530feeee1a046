"""Closing a tracing request, and reopening it.

A closed request is no longer matched: new lists raise no questions about its child, its
waiting questions leave the review queue (they stay on the request's page, and come back if
it is reopened), and "match again" refuses until it is reopened. Nothing is deleted. When the
family withdraws consent to tracing, the request records that too, and it can be reopened only
with their renewed consent. Who did it and their note go into the audit trail: the web guard
writes it for pages and the API, :func:`ridni.cli.tracing.close` for the command line.
"""

from __future__ import annotations

from ridni.errors import InputError
from ridni.storage.types import utcnow
from ridni.tracing.models import CloseReason, RequestStatus, TracingRequest


def close_request(item: TracingRequest, reason: CloseReason) -> None:
    if item.status is RequestStatus.closed:
        raise InputError(f"tracing request {item.id} is already closed")
    item.status = RequestStatus.closed
    item.closed_reason = reason
    item.closed_at = utcnow()
    if reason is CloseReason.consent_withdrawn:
        item.consent_tracing = False


def reopen_request(item: TracingRequest, *, consent_renewed: bool = False) -> None:
    if item.status is RequestStatus.open:
        raise InputError(f"tracing request {item.id} is open already")
    if not item.consent_tracing and not consent_renewed:
        raise InputError(
            f"the family has not consented to tracing for request {item.id}",
            "reopen it only with their renewed consent, and say so",
        )
    item.status = RequestStatus.open
    item.closed_reason = None
    item.closed_at = None
    item.consent_tracing = True


def refuse_if_closed(item: TracingRequest) -> None:
    """Matching a closed request would ask questions nobody should answer."""
    if item.status is RequestStatus.closed:
        raise InputError(
            f"tracing request {item.id} is closed", "reopen it before matching it again"
        )
