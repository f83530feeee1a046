"""Moved to :mod:`ridni.messages`, which the command line uses without loading the web app.

Kept so that code written against this path still runs; import from ``ridni.messages``.
"""

from __future__ import annotations

from ridni.messages import error_text

__all__ = ["error_text"]
