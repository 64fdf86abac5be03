"""How values look in the web view's lists: Arabic text laid out right to left, bodies cut to a
snippet, URLs as short links, country and state codes with their names, titles linked to the
article page. Pure functions of a value, so every list and page renders them the same way."""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markupsafe import Markup, escape

from storage.countries import COUNTRIES_EN, STATES_EN

SNIPPET_WORDS = 30
_MARK = "**"


def direction(text: str) -> str:
    """"rtl" when the first letter with a strong direction is right-to-left (what the Unicode
    bidi algorithm and dir=auto use for a paragraph), else "ltr"."""
    for ch in text[:400]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def text_block(text: str, tag: str = "div", cls: str = "rasad-text") -> Markup:
    """Text in an element with its own direction: Arabic reads right to left with its stops on
    the left end, Latin text stays left to right, in the same table."""
    return Markup(f'<{tag} class="{cls}" dir="{direction(text)}">{escape(text)}</{tag}>')


def cut(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def short_url(url: str, length: int = 38) -> Markup:
    """A link whose text is the host and the start of the (decoded) path; the full URL is the
    link and its tooltip."""
    parts = urlsplit(url)
    shown = (parts.netloc.removeprefix("www.") + unquote(parts.path or "/")
             + (f"?{parts.query}" if parts.query else ""))
    if len(shown) > length:
        shown = shown[:length - 1] + "…"
    return Markup(f'<a class="rasad-url" dir="ltr" href="{escape(url)}" title="{escape(url)}" '
                  f'rel="noreferrer">{escape(shown)}</a>')


def marked(text: str) -> Markup:
    """A snippet with **…** marks as <mark>, in its own direction."""
    parts = str(escape(text)).split(_MARK)
    html = "".join(f"<mark>{p}</mark>" if i % 2 else p for i, p in enumerate(parts))
    side = direction(text.replace(_MARK, ""))
    return Markup(f'<div class="rasad-text" dir="{side}">{html}</div>')


def article_link(article_id: Any, text: str) -> Markup:
    return Markup(f'<a class="rasad-title" dir="{direction(text)}" '
                  f'href="/-/article/{int(article_id)}">{escape(text)}</a>')


def country_link(code: str, db: str, arabic: dict[str, str], mentions: Any = None) -> Markup:
    english = COUNTRIES_EN.get(code, ("",))[0]
    label = arabic.get(code) or english or code
    count = f" ×{mentions}" if mentions not in (None, "", 1) else ""
    return Markup(f'<a class="rasad-country" href="/{escape(db)}/article_list?'
                  f'countries__arraycontains={quote(code)}" title="{escape(english)} '
                  f'({escape(code)})">{escape(label)}&nbsp;<small dir="ltr">{escape(code)}'
                  f'{count}</small></a>')


def state_label(code: str, arabic: dict[str, str]) -> Markup:
    label = arabic.get(code) or STATES_EN.get(code) or code
    return Markup(f'<span class="rasad-state" title="{escape(STATES_EN.get(code, code))}">'
                  f'{escape(label)}&nbsp;<small dir="ltr">{escape(code)}</small></span>')


def json_codes(value: str) -> dict[str, Any] | list[Any] | None:
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict | list) else None


def reasons(value: str) -> Markup | None:
    """The `why` JSON of a verdict: its reasons, one per line."""
    data = json_codes(value)
    if not isinstance(data, dict):
        return None
    lines = [str(r) for r in data.get("reasons", [])][:6]
    return Markup("<br>".join(str(text_block(r, "span")) for r in lines))


_ISO = re.compile(r"^[A-Z]{2}$")


def is_code(value: Any) -> bool:
    return isinstance(value, str) and bool(_ISO.match(value))
