"""What an alert says: the message id, the JSON payload (fixed when the delivery is created, so
every attempt carries the same body) and its plain-text rendering for e-mail and chat."""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

MAX_REASONS = 6  # a message quotes the verdict and the strongest reasons, not every term
MAX_SENTENCES = 3


@dataclass(frozen=True)
class Message:
    id: str  # the delivery id: the same on every attempt, after any restart
    kind: str  # "alert" or "digest"
    channel: str
    payload: dict[str, Any]
    created: str  # when the delivery was created (UTC ISO): part of the fixed body


def _digest_id(prefix: str, *parts: object) -> str:
    raw = "\x1f".join(str(p) for p in parts).encode("utf-8")
    digest = base64.b32encode(hashlib.sha256(raw).digest()).decode("ascii").lower().rstrip("=")
    return f"{prefix}_{digest[:26]}"


def alert_id(story_id: int, topic: str, channel: str) -> str:
    """The message id of the one alert of a story on a topic to a channel: derived, not drawn,
    so a dispatcher that died after sending re-creates and re-sends the very same id."""
    return _digest_id("msg", "alert", story_id, topic, channel)


def notice_id(incident_id: int, channel: str) -> str:
    return _digest_id("ntc", "notice", incident_id, channel)


def digest_id(channel: str, item_ids: list[int]) -> str:
    # An outbox row joins exactly one digest, so the set of its rows names the digest.
    return _digest_id("dig", "digest", channel, ",".join(str(i) for i in sorted(item_ids)))


def view_url(base: str | None, article_id: int) -> str | None:
    """The article's page in `rasad serve` served at `base` (RASAD_VIEW_URL), if any."""
    base = (base or "").strip().rstrip("/")
    return f"{base}/-/article/{int(article_id)}" if base else None


def alert_payload(item: dict[str, Any], topic_label: str | None = None,
                  view_base: str | None = None) -> dict[str, Any]:
    """The JSON an alert carries, from an outbox row joined with its article and verdict."""
    why = item.get("why") or {}
    payload = {
        "topic": item["topic"],
        "topic_label": topic_label or why.get("label") or item["topic"],
        "story_id": item["story_id"],
        "article_id": item["article_id"],
        "outlet": item["outlet"],
        "url": item["url"],
        "title": item["title"],
        "published": item["published"],
        "score": item["score"],
        "threshold": why.get("threshold"),
        "countries": item.get("countries") or {},
        "states": item.get("states") or {},
        "terms": why.get("terms") or {},
        # Why, for a reader: one line, and the sentences that matched as the outlet wrote them.
        "reason": why.get("reason") or "",
        "sentences": list(why.get("sentences") or [])[:MAX_SENTENCES],
        "reasons": list(why.get("reasons") or [])[:MAX_REASONS],
    }
    view = view_url(view_base, item["article_id"])
    if view:  # only when configured: receivers of the plain payload see no change
        payload["view_url"] = view
    return payload


def digest_payload(channel: str, period: str, alerts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"channel": channel, "period": period, "count": len(alerts), "alerts": alerts}


def alerts_of(message: Message) -> list[dict[str, Any]]:
    if message.kind == "notice":
        return []
    if message.kind == "digest":
        return list(message.payload["alerts"])
    return [message.payload]


def subject(message: Message) -> str:
    """A one-line summary (e-mail subject, chat fallback). No line breaks: header-safe."""
    if message.kind == "notice":
        p = message.payload
        return " ".join(f"[rasad] outlet {p['outlet']}: {p['verdict']}".split())
    if message.kind == "digest":
        p = message.payload
        return f"[rasad] {p['count']} new alert(s) — {p['period']} digest"  # burst, backfill too
    a = message.payload
    return " ".join(f"[rasad] {a['topic_label']}: {a['title']}".split())


def places(alert: dict[str, Any]) -> str:
    parts = list(alert.get("countries") or {}) + [f"US-{s}" for s in alert.get("states") or {}]
    return ", ".join(parts)


def text_lines(alert: dict[str, Any]) -> list[str]:
    """One alert as plain text lines (the e-mail body; chat escapes them first)."""
    lines = [alert["title"], alert["url"],
             *([f"in rasad: {alert['view_url']}"] if alert.get("view_url") else []),
             f"{alert['outlet']} · {alert['published'] or 'undated'} · "
             f"topic {alert['topic']} · score {alert['score']}"]
    if alert.get("reason"):
        lines.append(f"why: {alert['reason']}")
    lines += [f"  « {s} »" for s in alert.get("sentences") or []]
    where = places(alert)
    if where:
        lines.append(f"places: {where}")
    if not alert.get("sentences"):  # older payloads: the rule's own lines
        lines += [f"  {r}" for r in alert.get("reasons") or []]
    return lines


def notice_lines(notice: dict[str, Any]) -> list[str]:
    return [f"outlet {notice['outlet']}: {notice['verdict']} (since {notice['opened']})",
            str(notice.get("reason") or ""), "See `rasad status` for the outlet's recent crawls."]


def plain_text(message: Message) -> str:
    if message.kind == "notice":
        blocks = ["\n".join(notice_lines(message.payload))]
    else:
        blocks = ["\n".join(text_lines(a)) for a in alerts_of(message)]
    footer = f"\n\n-- \nrasad alert {message.id} (channel {message.channel})"
    return "\n\n".join(blocks) + footer
