"""A per-address sliding-window limit for the public endpoints, kept in this process's memory.

Enough to stop one machine flooding the public form; a deployment with several processes gets
the limit per process (documented with RIDNI_REPORT_LIMIT_PER_HOUR).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

# Refused submissions of the public form allowed per accepted report (typos, a missing field).
ATTEMPTS_PER_REPORT = 5


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for ``key``; False when it would exceed the limit."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            events = self._seen[key]
            while events and events[0] <= moment - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(moment)
            if len(self._seen) > 100_000:  # forget idle addresses rather than grow forever
                for idle in [k for k, v in self._seen.items() if not v]:
                    del self._seen[idle]
            return True

    def give_back(self, key: str) -> None:
        """Uncount ``key``'s latest event (an attempt that turned out not to count)."""
        with self._lock:
            events = self._seen.get(key)
            if events:
                events.pop()
