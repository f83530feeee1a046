"""Why a tracing request is closed and what a reviewer decides, apart from the models
(SQLAlchemy), so the command line's `--reason` and `--decide` options know them without loading
the database layer."""

from __future__ import annotations

from enum import StrEnum


class CloseReason(StrEnum):
    """Why a request stopped being matched against new lists."""

    reunited = "reunited"  # the child is back with the family
    consent_withdrawn = "consent_withdrawn"  # the family no longer wants Ridni to search
    duplicate = "duplicate"  # another request seeks the same child
    other = "other"  # the audit note says why


class Decision(StrEnum):
    confirm = "confirm"
    reject = "reject"
    unsure = "unsure"
    undo = "undo"
