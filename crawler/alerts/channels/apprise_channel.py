"""Any Apprise service (Telegram, Teams, Discord, ntfy, Matrix, Mattermost, plain JSON/form
posts…) by its Apprise URL. One attempt per `send`; the dispatcher owns retries, backoff and the
exactly-once record. The message body ends with the delivery id (as every channel's does), so a
receiver can drop the one repeat a crash between "sent" and "recorded" can cause."""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

import apprise
from pydantic import Field, field_validator

from crawler.alerts.channels.base import Outcome, Redactor, env, short
from crawler.alerts.config import Channel, env_name
from crawler.alerts.message import Message, plain_text, subject

_SPLIT = re.compile(r"[\s,]+")


def split_urls(value: str) -> list[str]:
    return [u for u in _SPLIT.split(value.strip()) if u]


def unsupported(urls: list[str]) -> str | None:
    """The first URL Apprise has no service for (config validation), or None."""
    for url in urls:
        if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
            return url
    return None


class AppriseChannel(Channel):
    kind: Literal["apprise"] = "apprise"
    # Apprise URLs (tgram://…, msteams://…, ntfy://…, json://…); most carry a token, so
    # `urls_env` (a variable holding one or more URLs, space or comma separated) is preferred.
    urls: list[str] = Field(default_factory=list)
    urls_env: str | None = None

    @field_validator("urls_env")
    @classmethod
    def _env(cls, v: str | None) -> str | None:
        return env_name(v)

    def problem(self) -> str | None:
        if bool(self.urls) == bool(self.urls_env):
            return "key 'urls': give exactly one of 'urls' and 'urls_env'"
        bad = unsupported(self.urls)
        if bad:
            return f"key 'urls': not an Apprise URL Apprise can send to: {bad!r}"
        return None

    def make_sender(self, base_dir: Path) -> AppriseSender:
        return AppriseSender(self)


class AppriseSender:
    def __init__(self, channel: AppriseChannel) -> None:
        self.channel = channel
        self.urls = list(channel.urls) or split_urls(env(channel.urls_env) or "")
        # Apprise URLs embed tokens: never echo them into logs or the alerts table.
        self.redact = Redactor(self.urls + [u.split("://", 1)[-1] for u in self.urls])
        self.apprise = apprise.Apprise()
        for url in self.urls:
            self.apprise.add(url)

    def send(self, message: Message) -> Outcome:
        if len(self.apprise) == 0:
            return Outcome(ok=False, retry=False,
                           error=short(self.redact(f"no usable Apprise URL in {self.urls}")))
        with apprise.LogCapture(level=logging.WARNING) as captured:
            ok = self.apprise.notify(title=subject(message), body=plain_text(message),
                                     body_format=apprise.NotifyFormat.TEXT)
        if ok:
            return Outcome(ok=True)
        detail = " ".join(captured.getvalue().split()) or "Apprise reported a failed notification"
        # Apprise reports neither status codes nor whether a failure is final: retry it, and
        # let max_attempts end a target that never recovers.
        return Outcome(ok=False, retry=True, error=short(self.redact(detail)))

    def close(self) -> None:
        pass
