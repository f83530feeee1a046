"""The largest id a command accepts: :data:`ridni.ids.MAX_ID`, which every way in
shares (typed larger, an id gave a traceback from the database driver; the option's range now
refuses it in one line)."""

from __future__ import annotations

from ridni.ids import MAX_ID

__all__ = ["MAX_ID"]
