"""The audit trail: append-only, each event sealed with an HMAC over itself and the previous
event's seal, so that modifying, deleting, inserting or reordering events is detected — and
cannot be papered over without the audit key, which lives in the key file, not the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.audit.models import AuditEvent, AuditHead
from ridni.i18n import N_
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
    template: str  # N_ message; ``message`` is it filled in (English)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template.format(**self.values)


MODIFIED = N_("event {event} was changed after it was written")
INSERTED = N_("event {event} was inserted: no event points to it")
REORDERED = N_("event {event} follows event {earlier} in the chain, not the one before it in order")
DELETED = N_("one or more events before event {event} are missing")
TRUNCATED = N_(
    "the newest events are missing (the chain head names a later event than the last one present)"
)


def verify(session: Session) -> tuple[int, list[Problem]]:
    """Walk the chain in id order; name every event that does not fit. Returns how many
    events were checked and the problems found.

    The head is read before the events: events others append meanwhile come after it, chain
    from it like any other, and are not mistaken for a truncated chain.
    """
    ring = ring_of(session.get_bind().dialect)
    head = session.get(AuditHead, 1, populate_existing=True)
    head_id, head_hash = (head.last_id, head.last_hash) if head else (0, None)
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    problems: list[Problem] = []
    by_hash = {event.hash: event.id for event in events}
    previous: AuditEvent | None = None
    for index, event in enumerate(events):
        intact = hmac.compare_digest(event.hash, seal(ring, event, event.prev_hash))
        following = events[index + 1] if index + 1 < len(events) else None
        expected_prev = previous.hash if previous else None
        values = {"event": event.id}
        if not intact:
            referenced = following is not None and following.prev_hash == event.hash
            if referenced or (event.id == head_id and head_hash == event.hash):
                problems.append(Problem(event.id, "modified", MODIFIED, values))
            else:
                problems.append(Problem(event.id, "inserted", INSERTED, values))
                continue  # judge the next event against the one before the insertion
        elif event.prev_hash != expected_prev:
            earlier = by_hash.get(event.prev_hash or "")
            if earlier is not None and earlier != (previous.id if previous else None):
                values["earlier"] = earlier
                problems.append(Problem(event.id, "reordered", REORDERED, values))
            else:
                problems.append(Problem(event.id, "deleted", DELETED, values))
        previous = event
    at_head = next((event for event in events if event.id == head_id), None)
    if head_hash is not None and (at_head is None or at_head.hash != head_hash):
        last = events[-1] if events else None
        problems.append(Problem(last.id if last else None, "truncated", TRUNCATED))
    return len(events), problems
