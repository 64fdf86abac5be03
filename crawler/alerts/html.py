"""The HTML part of an alert e-mail: right-to-left, the Arabic as the outlet wrote it, every
value escaped (titles and sentences come from the pages we crawl)."""
from __future__ import annotations

from html import escape
from typing import Any

from crawler.alerts.message import Message, alerts_of, notice_lines, places, subject

_STYLE = ("font-family:Tahoma,'Segoe UI',Arial,sans-serif;line-height:1.6;"
          "direction:rtl;text-align:right")


def _alert(a: dict[str, Any]) -> str:
    url = escape(a["url"], quote=True)
    meta = " · ".join(escape(str(x)) for x in (a["outlet"], a.get("published") or "undated",
                                                 a.get("topic_label") or a["topic"]))
    quotes = "".join(f"<blockquote style=\"margin:4px 0;padding:4px 8px;border-right:3px solid "
                     f"#888\">{escape(s)}</blockquote>" for s in a.get("sentences") or [])
    where = places(a)
    # The reason is English analyst shorthand with Arabic quotes inside: isolate it (dir=auto).
    reason = (f"<p dir=\"auto\" style=\"color:#444\">{escape(a['reason'])}</p>"
              if a.get("reason") else "")
    return (f"<div style=\"margin-bottom:18px\"><h3 style=\"margin:0\"><a href=\"{url}\">"
            f"{escape(a['title'] or a['url'])}</a></h3><p style=\"margin:2px 0;color:#666\">"
            f"{meta}</p>{quotes}{reason}"
            + (f"<p dir=\"ltr\" style=\"color:#666;font-size:90%\">{escape(where)}</p>"
               if where else "") + "</div>")


def html_text(message: Message) -> str:
    if message.kind == "notice":
        body = "".join(f"<p dir=\"auto\">{escape(line)}</p>"
                       for line in notice_lines(message.payload))
    else:
        body = "".join(_alert(a) for a in alerts_of(message))
    footer = (f"<p dir=\"ltr\" style=\"color:#999;font-size:80%\">rasad alert "
              f"{escape(message.id)} (channel {escape(message.channel)})</p>")
    return (f"<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(subject(message))}</title></head><body style=\"{_STYLE}\">"
            f"{body}{footer}</body></html>")
