"""JSON webhooks over httpx: the generic Standard-Webhooks-style channel and Slack-compatible
incoming webhooks. One attempt per `send`; the dispatcher owns retries and backoff."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from crawler.alerts.channels.base import Outcome, Redactor, env, parse_retry_after, short
from crawler.alerts.channels.targets import TargetRefused, guarded_client, target_problem
from crawler.alerts.config import Channel, env_name
from crawler.alerts.message import Message, alerts_of, notice_lines, places, subject

if TYPE_CHECKING:
    import httpx
# httpx is imported where a message is sent (~10 ms): loading alerts.toml, as every crawl does,
# does not need it.

USER_AGENT = "rasad-alerts/0.1 (+https://github.com/rasad-monitor/rasad)"
RETRY_STATUS = frozenset({408, 425, 429})  # 4xx that mean "later", not "never"
MAX_DIGEST_LINES = 50


def classify(response: httpx.Response, redact: Redactor) -> Outcome:
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(ok=True, status=code)
    retry = code >= 500 or code in RETRY_STATUS
    detail = short(redact(response.text or response.reason_phrase or ""))
    return Outcome(ok=False, retry=retry, status=code, error=f"HTTP {code}: {detail}".strip(),
                   retry_after=parse_retry_after(response.headers.get("retry-after"))
                   if retry else None)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks signature: v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")); a
    `whsec_` secret is the base64 of the key, any other string is the key itself."""
    key = base64.b64decode(secret.removeprefix("whsec_")) if secret.startswith("whsec_") \
        else secret.encode("utf-8")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode("ascii")


class HttpChannel(Channel):
    """Keys of both JSON webhook kinds: the receiver's URL (or the variable holding it)."""

    url: str | None = None
    url_env: str | None = None
    timeout: float = Field(10.0, gt=0, le=300)
    # A receiver on loopback or a private network only when set; link-local and metadata
    # addresses never (crawler/alerts/channels/targets.py).
    allow_private: bool = False

    @field_validator("url_env")
    @classmethod
    def _env(cls, v: str | None) -> str | None:
        return env_name(v)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("must be an http(s) URL")
        return v

    def problem(self) -> str | None:
        if bool(self.url) == bool(self.url_env):
            return "key 'url': give exactly one of 'url' and 'url_env'"
        if self.url:  # written in the file: checked now (url_env: when each message is sent)
            return target_problem("url", urlsplit(self.url).hostname or "", self.allow_private)
        return None


class WebhookChannel(HttpChannel):
    kind: Literal["webhook"] = "webhook"
    secret_env: str | None = None

    @field_validator("secret_env")
    @classmethod
    def _secret_env(cls, v: str | None) -> str | None:
        return env_name(v)

    def make_sender(self, base_dir: Path) -> WebhookSender:
        return WebhookSender(self)


class SlackChannel(HttpChannel):
    kind: Literal["slack"] = "slack"

    def make_sender(self, base_dir: Path) -> SlackSender:
        return SlackSender(self)


class _HttpSender:
    def __init__(self, channel: HttpChannel) -> None:
        self.channel = channel
        self.url = channel.url or env(channel.url_env)
        self.redact = Redactor([self.url if channel.url_env else None, self._secret()])
        self.client: httpx.Client = guarded_client(channel.allow_private, timeout=channel.timeout,
                                     follow_redirects=False, headers={"User-Agent": USER_AGENT})

    def _secret(self) -> str | None:
        return None

    def body(self, message: Message) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError

    def headers(self, message: Message, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json"}

    def send(self, message: Message) -> Outcome:
        import httpx

        body = self.body(message)
        try:
            response = self.client.post(self.url, content=body,
                                        headers=self.headers(message, body))
        except TargetRefused as exc:  # a place alerts may not go: final, never retried
            return Outcome(ok=False, retry=False, error=short(self.redact(f"refused: {exc}")))
        except httpx.TimeoutException as exc:
            return Outcome(ok=False, retry=True,
                           error=f"timeout after {self.channel.timeout:g}s ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return Outcome(ok=False, retry=True,
                           error=short(self.redact(f"{type(exc).__name__}: {exc}")))
        return classify(response, self.redact)

    def close(self) -> None:
        self.client.close()


class WebhookSender(_HttpSender):
    """POSTs {"type", "id", "timestamp", "data"} with webhook-id / webhook-timestamp /
    webhook-signature headers; the body is identical on every attempt, the timestamp (and so
    the signature) is the attempt's own."""

    def _secret(self) -> str | None:
        self.secret = env(self.channel.secret_env)
        return self.secret

    def body(self, message: Message) -> bytes:
        doc = {"type": f"rasad.{message.kind}", "id": message.id, "timestamp": message.created,
               "data": message.payload}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def headers(self, message: Message, body: bytes) -> dict[str, str]:
        now = int(time.time())
        headers = {"Content-Type": "application/json", "webhook-id": message.id,
                   "webhook-timestamp": str(now)}
        if self.secret:
            headers["webhook-signature"] = sign(self.secret, message.id, now, body)
        return headers


def slack_escape(text: str) -> str:
    """Slack's control characters: with & < > escaped, a title cannot write <!channel>,
    <!here>, <@U123> or a disguised link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_url(url: str) -> str:
    # Inside <url|label> a raw | or > would end the URL early.
    return slack_escape(url.replace("|", "%7C").replace(" ", "%20"))


def slack_lines(alert: dict[str, Any]) -> list[str]:
    title = slack_escape(" ".join(alert["title"].split())).replace("|", "¦")
    lines = [f"*<{_slack_url(alert['url'])}|{title}>*",
             slack_escape(f"{alert['outlet']} · {alert['published'] or 'undated'} · "
                          f"{alert['topic_label']} · score {alert['score']}")]
    if alert.get("view_url"):
        lines.append(f"<{_slack_url(alert['view_url'])}|in rasad: article, story, versions>")
    where = places(alert)
    if where:
        lines.append(slack_escape(f"places: {where}"))
    lines += [f"> {slack_escape(r)}" for r in alert.get("reasons") or []]
    return lines


class SlackSender(_HttpSender):
    """Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat): {"text": mrkdwn}."""

    def body(self, message: Message) -> bytes:
        alerts = alerts_of(message)
        lines = []
        if message.kind == "notice":
            first, *rest = notice_lines(message.payload)
            lines += [f"*:warning: rasad: {slack_escape(first)}*", *map(slack_escape, rest)]
        if message.kind == "digest":
            lines.append(f"*{slack_escape(subject(message))}*")
        for alert in alerts[:MAX_DIGEST_LINES]:
            lines += slack_lines(alert) + [""]
        if len(alerts) > MAX_DIGEST_LINES:
            lines.append(f"… and {len(alerts) - MAX_DIGEST_LINES} more")
        doc = {"text": "\n".join(lines).strip(), "unfurl_links": False, "unfurl_media": False}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    def headers(self, message: Message, body: bytes) -> dict[str, str]:
        # Slack ignores it; Slack-compatible receivers and proxies can deduplicate on it.
        return {"Content-Type": "application/json", "webhook-id": message.id}
