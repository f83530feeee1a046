"""The largest id a command accepts.

Ids are INTEGER columns: 32 bits on PostgreSQL, and SQLite cannot even be asked about one
beyond 64 bits. Typed larger (a pasted phone number, a slip of the finger), an id gave a
traceback from the database driver; the option's range now refuses it in one line.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1
