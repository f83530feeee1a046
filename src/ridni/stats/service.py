"""Computing, storing and reading the published statistics.

The public page reads the newest stored snapshot, so it costs one indexed row however many
children there are. A snapshot older than the configured age is recomputed after the response
(one recomputation per process at a time); `ridni stats refresh` does it on demand or from cron.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ridni.stats.models import StatsSnapshot
from ridni.stats.publication import Publication, timed_publish
from ridni.storage.engine import Database

KEEP = 30  # snapshots kept; older ones are deleted when a new one is stored
_refreshing = threading.Lock()


def latest(session: Session) -> StatsSnapshot | None:
    return session.scalar(select(StatsSnapshot).order_by(StatsSnapshot.id.desc()).limit(1))


def refresh(session: Session, min_cell: int, today: date | None = None) -> StatsSnapshot:
    """Compute the figures now and store them as the newest snapshot."""
    publication, seconds = timed_publish(session, min_cell, today or datetime.now(UTC).date())
    snapshot = StatsSnapshot(data=publication.as_json(), seconds=round(seconds, 3))
    session.add(snapshot)
    session.flush()
    session.execute(delete(StatsSnapshot).where(StatsSnapshot.id <= snapshot.id - KEEP))
    return snapshot


def is_stale(snapshot: StatsSnapshot, max_age_minutes: int, min_cell: int) -> bool:
    age = datetime.now(UTC) - snapshot.computed_at
    return age > timedelta(minutes=max_age_minutes) or snapshot.data.get("min_cell") != min_cell


def current(session: Session, min_cell: int) -> tuple[Publication, StatsSnapshot]:
    """The newest publication, computed now only if there has never been one."""
    snapshot = latest(session)
    if snapshot is None or snapshot.data.get("min_cell") != min_cell:
        snapshot = refresh(session, min_cell)
    return Publication.from_json(snapshot.data), snapshot


def _refresh_once(db: Database, max_age_minutes: int, min_cell: int) -> None:
    try:
        with db.session() as session:
            snapshot = latest(session)
            if snapshot is None or is_stale(snapshot, max_age_minutes, min_cell):
                refresh(session, min_cell)
    finally:
        _refreshing.release()


def refresh_in_background(db: Database, max_age_minutes: int, min_cell: int) -> None:
    """Recompute a stale snapshot in a thread of its own, unless one already is: the visitor
    is not kept waiting, and the request's transaction ends first (SQLite has one writer)."""
    if _refreshing.acquire(blocking=False):
        threading.Thread(
            target=_refresh_once,
            args=(db, max_age_minutes, min_cell),
            name="stats-refresh",
            daemon=True,
        ).start()
