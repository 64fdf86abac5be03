"""The one time format of the store."""
from __future__ import annotations

import time
from datetime import UTC, datetime

_last: tuple[int, str] = (-1, "")


def now_iso() -> str:
    """UTC timestamp with seconds. Made once per second (a stored article asks for it ~4
    times; strftime was ~5 µs each)."""
    global _last
    second = int(time.time())  # the clock datetime.now() reads
    if second != _last[0]:
        _last = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _last[1]
