"""Alerts on children, and the runs that computed them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ridni.alerts.enums import AlertRule as AlertRule  # re-exported
from ridni.storage.base import Base
from ridni.storage.types import UTCDateTime, enum_type, utcnow


class ChildAlert(Base):
    """One rule that holds for one child, as of the last run (rows are replaced per run)."""

    __tablename__ = "child_alerts"
    __table_args__ = (UniqueConstraint("rule", "child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[AlertRule] = mapped_column(enum_type(AlertRule), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    # The date the rule is about: the earliest possible 18th birthday, the last sighting.
    due_on: Mapped[date | None] = mapped_column(Date)
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="SET NULL"), index=True
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AlertRun(Base):
    """When alerts were last recomputed, how long it took and what it found."""

    __tablename__ = "alert_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # As of which day the rules were evaluated, and the settings that shaped them.
    as_of: Mapped[date] = mapped_column(Date)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
