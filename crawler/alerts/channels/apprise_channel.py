"""Any Apprise service (Telegram, Teams, Discord, ntfy, Matrix, Mattermost, plain JSON/form
posts…) by its Apprise URL. One attempt per `send`; the dispatcher owns retries, backoff and the
exactly-once record. The message body ends with the delivery id (as every channel's does), so a
receiver can drop the one repeat a crash between "sent" and "recorded" can cause.

Where alerts may go: the URLs whose host is a receiver the user names (json://, form://, xml://
and their TLS forms) get the same target check as a webhook, at load (literal addresses) and
before each send (what the name resolves to); a service URL (tgram://token/chat) names a fixed
public service, not a host."""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from crawler.alerts.channels.base import Outcome, Redactor, env, short
from crawler.alerts.channels.targets import TargetRefused, target_problem
from crawler.alerts.config import Channel, env_name
from crawler.alerts.message import Message, plain_text, subject
from crawler.guard.addresses import checked_addresses

if TYPE_CHECKING:
    import apprise

# apprise is imported where a channel of this kind is checked or sends (~25 ms, with requests):
# loading alerts.toml, as every crawl does, costs nothing for the other kinds.

_SPLIT = re.compile(r"[\s,]+")
# Apprise schemes whose host is an arbitrary receiver (its "custom" notifications).
_CUSTOM = {"json": 80, "jsons": 443, "form": 80, "forms": 443, "xml": 80, "xmls": 443}


def custom_target(url: str) -> tuple[str, int] | None:
    """(host, port) of a URL posting to a receiver the user names, or None for a service URL."""
    parts = urlsplit(url)
    default = _CUSTOM.get(parts.scheme.lower())
    if default is None or not parts.hostname:
        return None
    try:
        port = parts.port or default
    except ValueError:
        port = default
    return parts.hostname, port


def split_urls(value: str) -> list[str]:
    return [u for u in _SPLIT.split(value.strip()) if u]


def unsupported(urls: list[str]) -> str | None:
    """The first URL Apprise has no service for (config validation), or None."""
    for url in urls:
        import apprise

        if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
            return url
    return None


class AppriseChannel(Channel):
    kind: Literal["apprise"] = "apprise"
    # Apprise URLs (tgram://…, msteams://…, ntfy://…, json://…); most carry a token, so
    # `urls_env` (a variable holding one or more URLs, space or comma separated) is preferred.
    urls: list[str] = Field(default_factory=list)
    urls_env: str | None = None
    # Loopback and private receivers only when asked (a local relay, the tests); link-local and
    # metadata addresses never (crawler/alerts/channels/targets.py).
    allow_private: bool = False

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
        for url in self.urls:
            target = custom_target(url)
            problem = target and target_problem("urls", target[0], self.allow_private)
            if problem:
                return problem
        return None

    def make_sender(self, base_dir: Path) -> AppriseSender:
        return AppriseSender(self)


class AppriseSender:
    def __init__(self, channel: AppriseChannel) -> None:
        self.channel = channel
        self.urls = list(channel.urls) or split_urls(env(channel.urls_env) or "")
        # Apprise URLs embed tokens: never echo them into logs or the alerts table.
        self.redact = Redactor(self.urls + [u.split("://", 1)[-1] for u in self.urls])
        import apprise

        self.apprise: apprise.Apprise = apprise.Apprise()
        for url in self.urls:
            self.apprise.add(url)

    def send(self, message: Message) -> Outcome:
        try:
            for url in self.urls:
                target = custom_target(url)
                if target:
                    checked_addresses(target[0], target[1], self.channel.allow_private)
        except TargetRefused as exc:  # a place alerts may not go: final, never retried
            return Outcome(ok=False, retry=False, error=short(self.redact(f"refused: {exc}")))
        except OSError as exc:  # the name does not resolve now: maybe later
            return Outcome(ok=False, retry=True, error=short(self.redact(f"DNS: {exc}")))
        if len(self.apprise) == 0:
            return Outcome(ok=False, retry=False,
                           error=short(self.redact(f"no usable Apprise URL in {self.urls}")))
        import apprise

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
