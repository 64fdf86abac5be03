"""The one time format of the store."""
from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """UTC timestamp with seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
