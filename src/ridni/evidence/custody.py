"""The chain of custody: an append-only, hash-chained log per evidence item.

Each entry's hash covers its own fields and the previous entry's hash; the evidence row keeps the
newest hash (``custody_head``). Editing an entry breaks its hash, deleting or reordering entries
breaks the links, deleting the newest entry breaks the head, and the first entry pins the SHA-256
of every file collected. Someone able to rewrite the whole database could recompute all of it,
so `ridni evidence verify --heads` prints each head for keeping outside Ridni (docs/facilities.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from ridni.evidence.models import CustodyAction, CustodyEvent, Evidence, EvidenceFile
from ridni.storage.types import utcnow


def content_digest(files: Iterable[EvidenceFile]) -> str:
    """One SHA-256 over every file's role and SHA-256, in a fixed order."""
    lines = sorted(f"{f.role.value}:{f.sha256}" for f in files)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def entry_hash(event: CustodyEvent, prev_hash: str | None) -> str:
    payload = {
        "evidence": event.evidence_id,
        "action": event.action.value,
        "at": _instant(event.at),
        "user": event.user_id,
        "actor": event.actor,
        "reason": event.reason,
        "content": event.content_sha256,
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _instant(at: datetime) -> str:
    # Microseconds are dropped: not every database keeps them, and the hash must survive a trip.
    return at.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(
    session: Session,
    evidence: Evidence,
    action: CustodyAction,
    *,
    actor: str,
    reason: str = "",
    user_id: int | None = None,
) -> CustodyEvent:
    """Add an entry at the end of the chain (the only way entries are ever written)."""
    event = CustodyEvent(
        evidence_id=evidence.id,
        action=action,
        at=utcnow().replace(microsecond=0),
        user_id=user_id,
        actor=actor[:200],
        reason=reason,
        content_sha256=content_digest(evidence.files),
        prev_hash=evidence.custody_head,
    )
    event.hash = entry_hash(event, evidence.custody_head)
    session.add(event)
    evidence.custody_head = event.hash
    session.flush()
    return event


def chain_problems(evidence: Evidence, events: list[CustodyEvent]) -> list[str]:
    """Everything wrong with one item's log, each as a sentence naming the entry."""
    problems: list[str] = []
    if not events:
        return [f"evidence #{evidence.id}: the custody log is empty"]
    if events[0].action is not CustodyAction.collected:
        problems.append(f"evidence #{evidence.id}: the log does not start with 'collected'")
    previous: str | None = None
    for position, event in enumerate(events, start=1):
        where = f"evidence #{evidence.id}, custody entry {position} (#{event.id})"
        if event.prev_hash != previous:
            problems.append(f"{where}: does not follow the entry before it (deleted or reordered)")
        if event.hash != entry_hash(event, event.prev_hash):
            problems.append(f"{where}: its content was changed after it was written")
        if position > 1 and event.at < events[position - 2].at:
            problems.append(f"{where}: is dated before the entry before it")
        previous = event.hash
    if evidence.custody_head != previous:
        problems.append(f"evidence #{evidence.id}: the newest custody entry is missing")
    if events[0].content_sha256 != content_digest(evidence.files):
        problems.append(
            f"evidence #{evidence.id}: the recorded file hashes differ from those collected"
        )
    return problems
