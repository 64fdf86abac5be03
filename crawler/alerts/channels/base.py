"""What every channel shares: the outcome of one attempt, secrets from the environment, redaction
of those secrets from anything reported, and Retry-After parsing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from crawler import settings
from crawler.alerts.message import Message

MAX_RETRY_AFTER = 86400.0  # a receiver asking for more than a day is treated as asking for a day


@dataclass(frozen=True)
class Outcome:
    ok: bool
    retry: bool = False  # a failure worth retrying (timeout, 5xx, 429, SMTP 4xx, network)
    status: int | None = None  # HTTP or SMTP status code
    error: str | None = None  # already redacted
    retry_after: float | None = None  # seconds, from the receiver


class Sender(Protocol):
    def send(self, message: Message) -> Outcome: ...

    def close(self) -> None: ...


class MissingSecret(Exception):
    """A channel's environment variable is not set: its messages are held, not failed."""


def env(name: str | None) -> str | None:
    if not name:
        return None
    value = settings.secret(name)
    if not value:
        raise MissingSecret(f"environment variable {name} is not set")
    return value


class Redactor:
    """Replaces every secret value (and a secret URL's path) by *** in reported text."""

    def __init__(self, secrets: list[str | None]) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
