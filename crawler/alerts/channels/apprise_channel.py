"""Any Apprise service (Telegram, Teams, Discord, ntfy, Matrix, Mattermost, plain JSON/form
posts…) by its Apprise URL. One attempt per `send`; the dispatcher owns retries, backoff and the
exactly-once record. The message body ends with the delivery id (as every channel's does), so a
receiver can drop the one repeat a crash between "sent" and "recorded" can cause."""
from __future__ import annotations

import logging
import re

import apprise

from crawler.alerts.channels.base import Outcome, Redactor, env, short
from crawler.alerts.config import Channel
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


class AppriseSender:
    def __init__(self, channel: Channel) -> None:
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
