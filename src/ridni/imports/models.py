"""One run of a bulk import: what was read, what was added, where it stopped."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ridni.cases.models import RecordKind
from ridni.storage.base import Base
from ridni.storage.types import UTCDateTime, enum_type, utcnow


class ImportStatus(StrEnum):
    running = "running"
    completed = "completed"
    # A run that never finished (killed, crashed): its committed batches stay, the rest is not
    # there, and running the same file again completes it.
    interrupted = "interrupted"
    failed = "failed"


class ImportRun(Base):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[RecordKind] = mapped_column(enum_type(RecordKind))
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus), default=ImportStatus.running
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rows_read: Mapped[int] = mapped_column(default=0)
    rows_added: Mapped[int] = mapped_column(default=0)
    rows_existing: Mapped[int] = mapped_column(default=0)
    rows_invalid: Mapped[int] = mapped_column(default=0)
    candidates: Mapped[int] = mapped_column(default=0)
    auto_linked: Mapped[int] = mapped_column(default=0)
