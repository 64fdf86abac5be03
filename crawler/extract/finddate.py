"""The article's publication date, from the most to the least trustworthy source.

meta `article:published_time` → JSON-LD `datePublished` → the theme's own date element → a date
in the URL → a visible date near the title (Gregorian, else Hijri). Header clocks are never read:
they show the day the page was fetched, which is what naive date extractors store.
"""
from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from crawler.extract.dates import dates_in, parse_date_text, parse_iso
from crawler.extract.meta import PageMeta
from crawler.extract.stamps import late_date, machine_date, plausible, published
from crawler.extract.text import BLOCK_TAGS, CELL_TAGS, SKIP_TAGS, clean_line, text_of
from crawler.extract.themed import inside as _inside
from crawler.extract.themes import Scan

# /2025/07/10/ and /2025-07-10 in paths; a year/month alone is not a day.
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_TEXT_WINDOW = 600  # characters of visible text read after the title (and before it)
_PAGE_WINDOW = 20_000  # characters of a page read when the title gives no anchor

Found = tuple[str, str]  # (iso date, source)


def _after(elements: list[etree._Element], anchor: etree._Element | None) -> list[etree._Element]:
    """Elements after `anchor` in document order first (the title's meta line), then the rest."""
    if anchor is None or not elements:
        return elements
    order = {el: i for i, el in enumerate(anchor.getroottree().getroot().iter())}
    pos = order.get(anchor, -1)
    after = [el for el in elements if order.get(el, -1) > pos]
    return after + [el for el in elements if el not in after]


def _element_date(el: etree._Element) -> tuple[dt.date, str] | None:
    for node in (el, *el.iter("time")):
        stamp = node.get("datetime") or node.get("content")
        date = parse_iso(stamp) if stamp else None
        if plausible(date):
            return date, "gregorian"
    found = parse_date_text(text_of(el))
    if found and plausible(found[0]):
        return found
    return None


def from_theme(scan: Scan, title_el: etree._Element | None,
               clocks: set[etree._Element]) -> tuple[dt.date, str] | None:
    for matches in scan.ranked("date"):
        candidates = [el for el in matches if not _inside(el, clocks)]
        for el in _after(candidates, title_el)[:3]:
            found = _element_date(el)
            if found:
                return found
    return None


def from_url(url: str) -> dt.date | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in (_URL_DATE, _URL_COMPACT):
        match = pattern.search(path)
        if match:
            try:
                date = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if plausible(date):
                return date
    return None


_BREAKS = BLOCK_TAGS | CELL_TAGS | {"br"}
_DATE_LINE_WORDS = 16  # a line this short holding a date is a date line (byline, meta line)
_BEFORE_HANDICAP = 2  # lines: a date line before the title must be this much nearer to win
_FAR = 10_000  # lines: the body's lines come after every line around the title


def _text_around(root: etree._Element, anchor: etree._Element | None,
                 fenced: set[etree._Element], end: etree._Element | None = None,
                 window: int = _TEXT_WINDOW) -> tuple[list[str], list[str]]:
    """Visible lines just before and just after the title, in reading order (one per block).
    Scripts, nav, header clocks and fenced clutter are skipped; the text after the title stops
    at the end of the article body (`end`), so sidebar widgets with other articles' dates are
    never read."""
    before: list[str] = []
    after: list[str] = []
    seen_anchor = anchor is None
    size = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            if el is anchor:
                seen_anchor = True
                walker.skip_subtree()  # the title's own words are not a date context
                continue
            if el.tag in SKIP_TAGS or el in fenced or (el.tag == "nav" and not seen_anchor):
                walker.skip_subtree()
                continue
            piece = el.text
            stamp = machine_date(el)
            if stamp:  # a <time datetime> is a date line of its own, in the value it states
                (after if seen_anchor else before).append(f"\n{stamp}\n")
        else:
            if el is end and seen_anchor:
                break
            piece = el.tail
        out = after if seen_anchor else before
        if el.tag in _BREAKS:
            out.append("\n")
        if not piece or not piece.strip():
            continue
        if seen_anchor:
            after.append(piece[:window])
            size += len(piece)
            if size > window:
                break
        else:
            before.append(piece[-_TEXT_WINDOW:])
            if len(before) > 400:
                del before[:200]
    tail = " ".join(before)[-_TEXT_WINDOW // 2:]
    return _lines(tail), _lines(" ".join(after))


def _lines(text: str) -> list[str]:
    return [line for raw in text.split("\n") if (line := clean_line(raw))]


def _pick(groups: list[list[str]]) -> tuple[dt.date, str] | None:
    """The publication date among lines near the title (`groups`: the lines after it, those
    before it nearest first, then the body's): a date on a short line of its own (a byline, a
    meta line) before a date inside a sentence, which is often an event the article reports; a
    date marked as an update ("Updated", "تحديث") only when there is no other; a Gregorian date
    before a Hijri one (which may be a day off). Among equals the nearest line wins, a line
    before the title only when it is closer by more than _BEFORE_HANDICAP lines."""
    found = [((not update, kind == "gregorian", len(line.split()) <= _DATE_LINE_WORDS),
              i + (0, _BEFORE_HANDICAP, _FAR)[min(rank, 2)], date, kind)
             for rank, lines in enumerate(groups) for i, line in enumerate(lines)
             for date, kind, update in dates_in(line) if plausible(date)]
    if not found:
        return None
    best = max(key for key, _, _, _ in found)
    _, _, date, kind = min((c for c in found if c[0] == best), key=lambda c: c[1])
    return date, kind


def from_text(root: etree._Element, title_el: etree._Element | None,
              fenced: set[etree._Element], body_text: str = "",
              end: etree._Element | None = None) -> tuple[dt.date, str] | None:
    before, after = _text_around(root, title_el, fenced, end)
    found = _pick([after, before[::-1], body_text[:_TEXT_WINDOW].split("\n")])
    if found:
        return found
    # A date split over blocks ("<div>10</div><div>July 2025</div>") reads as one text.
    return parse_date_text(" ".join(after)) or parse_date_text(" ".join(before))


def from_page(root: etree._Element) -> dt.date | None:
    """The last resort for a page whose headline and dates are nowhere near each other: the
    first date line of the page's visible text (a date inside a sentence only if there is no
    date line), never today's date (a header clock shows the day the page was fetched)."""
    _, lines = _text_around(root, None, set(), window=_PAGE_WINDOW)
    today = dt.date.today()
    found = _pick([[line for line in lines if today not in [d for d, _, _ in dates_in(line)]]])
    return found[0] if found and found[1] == "gregorian" else None


def find_date(root: etree._Element, meta: PageMeta, url: str, scan: Scan,
              title_el: etree._Element | None = None, body_text: str = "",
              dropped: set[etree._Element] | None = None,
              container: etree._Element | None = None) -> Found | None:
    """The ordered date finder: (ISO date, source) with source in meta, jsonld, theme, url,
    hijri, text — or None when the page shows no date at all.
    `dropped` are the theme's clutter elements (related posts, widgets): their dates belong to
    other articles."""
    stated = published(meta)
    # The address of the page as published (canonical, og:url) when the fetched one is a
    # redirect, a feed proxy or an AMP copy without the date.
    in_url = from_url(url) or from_url(meta.canonical or meta.get("og:url"))
    if stated:
        date, source = stated
        # A timestamp stored in UTC shows the next or previous day for evening or morning
        # posts; the day in the URL is the one the CMS gave the post where it was written. A
        # stated date days after the URL's is a re-publication or a migration's date.
        if in_url and (date - in_url).days >= 1:
            return in_url.isoformat(), "url" if (date - in_url).days > 1 else source
        if in_url and (in_url - date).days == 1:
            return in_url.isoformat(), source
        return date.isoformat(), source
    # Clutter holding other articles' dates (related posts, widgets) is fenced off, but not
    # the clutter around the headline itself (a theme's header block is dropped from the body).
    keep = set(title_el.iterancestors()) | {title_el} if title_el is not None else set()
    clocks = set(scan.all("clock")) | ((dropped or set()) - keep)
    # A Hijri date is converted only when the page gives no Gregorian date of its own (it may be
    # a day off, see hijri.py): the URL's date wins over it. The theme's date element showing
    # only a Hijri date still beats a Gregorian date merely found in the text near the title.
    found = from_theme(scan, title_el, clocks)
    if found and found[1] != "hijri":
        return found[0].isoformat(), "theme"
    if in_url:
        return in_url.isoformat(), "url"
    if found:
        return found[0].isoformat(), "hijri"
    found = from_text(root, title_el, clocks, body_text, container)
    if found:
        return found[0].isoformat(), "hijri" if found[1] == "hijri" else "text"
    date = late_date(meta)
    return (date.isoformat(), "meta") if date else None
