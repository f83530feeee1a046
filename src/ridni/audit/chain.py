"""The audit trail: append-only, each event sealed with an HMAC over itself and the previous
event's seal, so that modifying, deleting, inserting or reordering events is detected — and
cannot be papered over without the audit key, which lives in the key file, not the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.audit.models import AuditEvent, AuditHead
from ridni.security.encryption import ring_of
from ridni.security.keys import KeyRing
from ridni.storage.types import utcnow


def _canonical(event: AuditEvent) -> bytes:
    # Not the id: order is what the chain of seals says, so renumbering shows as reordering.
    body = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "ip": event.ip_address,
        "reason": event.reason,
        "detail": event.detail,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def seal(ring: KeyRing, event: AuditEvent, prev_hash: str | None) -> str:
    message = (prev_hash or "").encode() + b"\n" + _canonical(event)
    return hmac.new(ring.audit_key, message, hashlib.sha256).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    actor: str,
    user_id: int | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    ip_address: str | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event, in the caller's transaction: it commits with what it describes."""
    ring = ring_of(session.get_bind().dialect)
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=None)
        session.add(head)
        session.flush()
    event = AuditEvent(
        at=utcnow(),
        user_id=user_id,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        ip_address=ip_address,
        reason=reason,
        detail=detail or {},
        prev_hash=head.last_hash,
        hash="",
    )
    session.add(event)
    session.flush()
    event.hash = seal(ring, event, head.last_hash)
    head.last_id = event.id
    head.last_hash = event.hash
    session.flush()
    return event


@dataclass(frozen=True)
class Problem:
    event_id: int | None
    kind: str  # modified, inserted, deleted, reordered, truncated
    message: str


def verify(session: Session) -> tuple[int, list[Problem]]:
    """Walk the chain in id order; name every event that does not fit. Returns how many
    events were checked and the problems found."""
    ring = ring_of(session.get_bind().dialect)
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    problems: list[Problem] = []
    by_hash = {event.hash: event.id for event in events}
    previous: AuditEvent | None = None
    for index, event in enumerate(events):
        intact = hmac.compare_digest(event.hash, seal(ring, event, event.prev_hash))
        following = events[index + 1] if index + 1 < len(events) else None
        expected_prev = previous.hash if previous else None
        if not intact:
            referenced = following is not None and following.prev_hash == event.hash
            if referenced or (following is None and _head_hash(session) == event.hash):
                problems.append(
                    Problem(
                        event.id, "modified", f"event {event.id} was changed after it was written"
                    )
                )
            else:
                problems.append(
                    Problem(
                        event.id,
                        "inserted",
                        f"event {event.id} was inserted: no event points to it",
                    )
                )
                continue  # judge the next event against the one before the insertion
        elif event.prev_hash != expected_prev:
            earlier = by_hash.get(event.prev_hash or "")
            if earlier is not None and earlier != (previous.id if previous else None):
                problems.append(
                    Problem(
                        event.id,
                        "reordered",
                        f"event {event.id} follows event {earlier} in the chain, "
                        "not the one before it in order",
                    )
                )
            else:
                problems.append(
                    Problem(
                        event.id,
                        "deleted",
                        f"one or more events before event {event.id} are missing",
                    )
                )
        previous = event
    head_hash = _head_hash(session)
    last = events[-1] if events else None
    if (last.hash if last else None) != head_hash:
        problems.append(
            Problem(
                last.id if last else None,
                "truncated",
                "the newest events are missing (the chain head names a later "
                "event than the last one present)",
            )
        )
    return len(events), problems


def _head_hash(session: Session) -> str | None:
    head = session.get(AuditHead, 1)
    return head.last_hash if head else None
