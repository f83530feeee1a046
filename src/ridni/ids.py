"""The largest id (or count) the database can be asked about.

Ids, and the counts kept beside them (a claim's quantity), are INTEGER columns: 32 bits on
PostgreSQL, which refuses a larger number even in a comparison ("integer out of range"), so
``/children/2147483648`` or a form's ``facility_id=99999999999`` was a 500 there while SQLite
simply found nothing. Every way a number comes in (a path, a query, a form, a JSON body, an
API token's number, a command's option) is bounded by :data:`MAX_ID` before it reaches SQL.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1
# A version is an INTEGER column like an id: one past it was a 500 on PostgreSQL, which refuses
# it even in the stale edit's "changes since" lookup.
MAX_VERSION = MAX_ID
