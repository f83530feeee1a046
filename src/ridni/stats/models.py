"""A stored publication of the public statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float
from sqlalchemy.orm import Mapped, mapped_column

from ridni.storage.base import Base
from ridni.storage.types import UTCDateTime, utcnow


class StatsSnapshot(Base):
    """The figures as published at one moment, small cells already suppressed.

    Aggregating a million children takes seconds; the public page must answer in milliseconds,
    so it reads the newest snapshot. Only suppressed values are kept: the snapshot is the
    publication, and nothing in it may single out a child.
    """

    __tablename__ = "stats_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
