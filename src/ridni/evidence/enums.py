"""The kinds of evidence, apart from the models (SQLAlchemy), so the command line's `--kind`
option knows them without loading the database layer."""

from __future__ import annotations

from enum import StrEnum


class EvidenceKind(StrEnum):
    document = "document"
    testimony = "testimony"
    photo = "photo"
    video = "video"
    audio = "audio"
    web_capture = "web_capture"
    other = "other"
