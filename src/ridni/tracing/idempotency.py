"""``Idempotency-Key`` for API clients: a tracing request sent again is made once.

A client that gets no answer (a timeout, a dropped connection) cannot tell whether its request
was saved; sending it again used to register the child twice. With the same key, from the same
user, with the same values, the retry now gets the request the first one made. The same key
with other values is refused: a key names one request. Keys are kept for :data:`KEPT`.

The report forms' ``submission_hash`` (migration 0014) hashes the key together with the values,
so a changed form is simply a new report; here a changed body must be told apart from a new key,
and the retry must get the family's status token it never saw (decision 014).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ridni.storage.types import utcnow
from ridni.tracing.intake import Received, token_hash
from ridni.tracing.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEPT = timedelta(hours=24)
MAX_LENGTH = 255
UNSEEN = (
    f"this {HEADER} was already used for a request you may no longer see; send a new key for "
    "a new request"
)


def read_key(header: str | None) -> str | None:
    """The key as sent, unquoted (``"abc"`` and ``abc`` are one key); None when absent.
    Raises ValueError for a key that is empty, too long or not visible ASCII."""
    if header is None:
        return None
    key = header.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not (1 <= len(key) <= MAX_LENGTH and key.isascii() and key.isprintable()):
        raise ValueError(
            f"{HEADER} must be 1 to {MAX_LENGTH} visible ASCII characters, such as a UUID"
        )
    return key


def body_hash(values: Mapping[str, object]) -> str:
    """The values as read, in a fixed order: 2012 and "2012" are the same body."""
    return token_hash(json.dumps(values, sort_keys=True, ensure_ascii=False, default=str))


def forget_expired(session: Session) -> None:
    """Delete keys older than :data:`KEPT` (everyone's: it is one indexed range)."""
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - KEPT))


def remembered(session: Session, user_id: int, key: str) -> IdempotencyKey | None:
    """What this user's key made, while it is kept."""
    return session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.key_hash == token_hash(key),
            IdempotencyKey.created_at >= utcnow() - KEPT,
        )
    )


def remember(session: Session, user_id: int, key: str, body: str, received: Received) -> None:
    """Keep the key with what it made; flushed, so a concurrent copy fails here (unique)."""
    session.add(
        IdempotencyKey(
            user_id=user_id,
            key_hash=token_hash(key),
            body_hash=body,
            request_id=received.request.id,
            status_token=received.token,
        )
    )
    session.flush()


def reused_message(earlier: IdempotencyKey) -> str:
    return (
        f"this {HEADER} was already used for another request (tracing request "
        f"{earlier.request_id}, sent with other values); send a new key for a new request"
    )
