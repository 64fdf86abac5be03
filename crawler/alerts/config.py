"""Alert channels: `config/alerts.toml`, validated at load with errors naming file, channel and key.

Secrets never live in the file: a channel names the environment variables that hold them
(`url_env`, `secret_env`, `password_env`), read only when a message is sent.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crawler.config import DEFAULT_ALERTS
from crawler.config.errors import AlertConfigError
from crawler.config.toml import format_validation_error, memoized, read_toml

if TYPE_CHECKING:
    from crawler.alerts.channels.base import Sender

ROOT = Path(__file__).resolve().parent.parent.parent
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Retry(_Strict):
    """How a failing message is retried: the n-th retry waits backoff·2^(n-1) (at most
    max_backoff) or the receiver's Retry-After; waits up to inline_wait happen in the running
    dispatcher, longer ones leave the message for a later dispatch."""

    max_attempts: int = Field(8, ge=1, le=100)
    backoff: float = Field(1.0, gt=0, le=3600)
    max_backoff: float = Field(900.0, gt=0, le=86400)
    inline_wait: float = Field(30.0, ge=0, le=3600)


def env_name(value: str | None) -> str | None:
    """A field validator for the keys that name an environment variable (`*_env`)."""
    if value is not None and not _ENV_NAME.match(value):
        raise ValueError(f"{value!r} is not an environment variable name")
    return value


class Channel(_Strict):
    """The keys every channel has. Each kind subclasses it in its own module (crawler/alerts/
    channels/) with its own keys, checks and sender, and is registered in
    `crawler.alerts.channels.KINDS`."""

    id: str
    kind: str
    enabled: bool = True
    topics: list[str] = Field(default_factory=list)  # empty: every topic
    notices: bool = False  # operator notices (outlet health incidents) too
    mode: Literal["immediate", "digest"] = "immediate"
    digest: Literal["hourly", "daily"] = "daily"
    digest_hour: int = Field(7, ge=0, le=23)  # UTC hour a daily digest goes out
    # An immediate channel with more than `burst` new alerts at once (a backfill, an outlet's
    # archive appearing) gets one digest instead of a flood; 0 = never.
    burst: int = Field(5, ge=0, le=10000)
    retry: Retry = Retry()

    @classmethod
    def keys(cls) -> set[str]:
        """The keys a table of this kind may have (aliases as written in the file)."""
        return {f.alias or name for name, f in cls.model_fields.items()} - {"id"}

    def problem(self) -> str | None:
        """What is wrong across keys (one key alone is checked by its field), or None."""
        return None

    def make_sender(self, base_dir: Path) -> Sender:  # pragma: no cover - each kind has one
        raise NotImplementedError

    def wants(self, topic: str, by_default: bool = True) -> bool:
        """A channel naming its topics gets exactly those; one naming none gets the topics
        that alert by default (`alert = true` in topics.toml)."""
        return topic in self.topics if self.topics else by_default


class AlertsConfig(_Strict):
    path: str
    channels: dict[str, Channel]

    def enabled(self, topic: str | None = None, by_default: bool = True) -> list[Channel]:
        return [c for c in self.channels.values()
                if c.enabled and (topic is None or c.wants(topic, by_default))]

    def check_topics(self, known: Iterable[str]) -> None:
        known = set(known)
        for channel in self.channels.values():
            for topic in channel.topics:
                if topic not in known:
                    raise AlertConfigError(
                        f"{self.path}: channel {channel.id!r}: key 'topics': unknown topic "
                        f"{topic!r} (known: {', '.join(sorted(known))})")


def _channel(path: Path, cid: str, table: Any, retry: dict[str, Any]) -> Channel:
    where = f"channel {cid!r}"
    if not _ID.match(cid):
        raise AlertConfigError(f"{path}: {where}: channel ids are lower-case letters, digits, "
                               "'_' and '-'")
    if not isinstance(table, dict):
        raise AlertConfigError(f"{path}: {where}: must be a table")
    from crawler.alerts.channels import KINDS  # the kinds' modules import this one

    kind = table.get("kind")
    if kind not in KINDS:
        raise AlertConfigError(f"{path}: {where}: key 'kind': must be one of "
                               f"{', '.join(sorted(KINDS))} (got {kind!r})")
    model = KINDS[kind]
    # A key of another kind (or of none) is a mistake worth naming.
    alien = set(table) - model.keys()
    if alien:
        raise AlertConfigError(f"{path}: {where}: key {sorted(alien)[0]!r}: "
                               f"not a key of a {kind!r} channel")
    data = {**table, "id": cid, "retry": {**retry, **table.get("retry", {})}}
    try:
        channel = model.model_validate(data)
    except ValidationError as exc:
        raise AlertConfigError(format_validation_error(path, where, exc)) from None
    problem = channel.problem()
    if problem:
        raise AlertConfigError(f"{path}: {where}: {problem}")
    return channel


def load_alerts(path: str | Path | None = None) -> AlertsConfig:
    """Read `path` (default: config/alerts.toml). A missing default file means no channels; a
    missing file that was asked for is an error."""
    return memoized(("alerts", str(path or DEFAULT_ALERTS), bool(path)),
                    lambda: _load_alerts(path))


def _load_alerts(explicit: str | Path | None) -> AlertsConfig:
    p = Path(explicit) if explicit else DEFAULT_ALERTS
    if not p.exists():
        if explicit:
            raise AlertConfigError(f"{p}: alerts file not found")
        return AlertsConfig(path=str(p), channels={})
    data = read_toml(p, AlertConfigError, "alerts file")
    unknown = set(data) - {"channels", "retry"}
    if unknown:
        raise AlertConfigError(f"{p}: unknown top-level key {sorted(unknown)[0]!r}")
    retry = data.get("retry", {})
    try:
        Retry.model_validate(retry)
    except ValidationError as exc:
        raise AlertConfigError(format_validation_error(p, "[retry]", exc)) from None
    raw = data.get("channels", {})
    if not isinstance(raw, dict):
        raise AlertConfigError(f"{p}: [channels] must be a table")
    channels = {cid: _channel(p, cid, table, retry) for cid, table in raw.items()}
    return AlertsConfig(path=str(p), channels=channels)
