"""Alert channels: `config/alerts.toml`, validated at load with errors naming file, channel and key.

Secrets never live in the file: a channel names the environment variables that hold them
(`url_env`, `secret_env`, `password_env`), read only when a message is sent.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawler.config.toml import format_validation_error, read_toml

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_ALERTS = ROOT / "config" / "alerts.toml"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")

# Keys that only make sense for some kinds: naming one on another kind is a mistake worth an error.
_KIND_KEYS = {
    "webhook": {"url", "url_env", "secret_env", "timeout"},
    "slack": {"url", "url_env", "timeout"},
    "email": {"host", "port", "security", "username_env", "password_env", "from", "to",
              "timeout"},
    "jsonl": {"path"},
    "apprise": {"urls", "urls_env"},
}
_COMMON = {"kind", "enabled", "topics", "notices", "mode", "digest", "digest_hour", "burst",
           "retry"}


class AlertConfigError(Exception):
    """alerts.toml is unreadable or invalid; the message names file, channel and key."""


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


def _env_name(value: str | None) -> str | None:
    if value is not None and not _ENV_NAME.match(value):
        raise ValueError(f"{value!r} is not an environment variable name")
    return value


class Channel(_Strict):
    id: str
    kind: Literal["webhook", "slack", "email", "jsonl", "apprise"]
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
    # webhook, slack
    url: str | None = None
    url_env: str | None = None
    secret_env: str | None = None
    timeout: float = Field(10.0, gt=0, le=300)
    # email
    host: str = "localhost"
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    username_env: str | None = None
    password_env: str | None = None
    sender: str | None = Field(None, alias="from")
    to: list[str] = Field(default_factory=list)
    # jsonl
    path: str | None = None
    # apprise: Apprise URLs (tgram://…, msteams://…, ntfy://…, json://…); most carry a token,
    # so `urls_env` (a variable holding one or more URLs, space or comma separated) is preferred.
    urls: list[str] = Field(default_factory=list)
    urls_env: str | None = None

    @field_validator("url_env", "secret_env", "username_env", "password_env", "urls_env")
    @classmethod
    def _env(cls, v: str | None) -> str | None:
        return _env_name(v)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("must be an http(s) URL")
        return v

    def secret_names(self) -> list[str]:
        return [n for n in (self.url_env, self.secret_env, self.username_env, self.password_env,
                            self.urls_env) if n]

    def missing_env(self) -> list[str]:
        """Environment variables the channel needs that are not set."""
        return [n for n in self.secret_names() if not os.environ.get(n)]

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
    kind = table.get("kind")
    if kind not in _KIND_KEYS:
        raise AlertConfigError(f"{path}: {where}: key 'kind': must be one of "
                               f"{', '.join(sorted(_KIND_KEYS))} (got {kind!r})")
    alien = set(table) - _COMMON - _KIND_KEYS[kind]
    if alien:
        raise AlertConfigError(f"{path}: {where}: key {sorted(alien)[0]!r}: "
                               f"not a key of a {kind!r} channel")
    data = {**table, "id": cid, "retry": {**retry, **table.get("retry", {})}}
    try:
        channel = Channel.model_validate(data)
    except ValidationError as exc:
        raise AlertConfigError(format_validation_error(path, where, exc)) from None
    problem = _kind_problem(channel)
    if problem:
        raise AlertConfigError(f"{path}: {where}: {problem}")
    return channel


def _kind_problem(c: Channel) -> str | None:
    if c.kind in ("webhook", "slack") and bool(c.url) == bool(c.url_env):
        return "key 'url': give exactly one of 'url' and 'url_env'"
    if c.kind == "email" and not c.to:
        return "key 'to': missing required key (a list of addresses)"
    if c.kind == "email" and not c.sender:
        return "key 'from': missing required key"
    if c.kind == "email" and bool(c.username_env) != bool(c.password_env):
        return "key 'password_env': give both 'username_env' and 'password_env' or neither"
    if c.kind == "jsonl" and not c.path:
        return "key 'path': missing required key"
    if c.kind == "apprise":
        if bool(c.urls) == bool(c.urls_env):
            return "key 'urls': give exactly one of 'urls' and 'urls_env'"
        from crawler.alerts.channels.apprise_channel import unsupported

        bad = unsupported(c.urls)
        if bad:
            return f"key 'urls': not an Apprise URL Apprise can send to: {bad!r}"
    return None


def load_alerts(path: str | Path | None = None) -> AlertsConfig:
    """Read `path` (default: $RASAD_ALERTS or config/alerts.toml). A missing default file means
    no channels; a missing file that was asked for is an error."""
    explicit = path or os.environ.get("RASAD_ALERTS")
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
