"""The article's publication date, from the most to the least trustworthy source.

meta `article:published_time` → JSON-LD `datePublished` → the theme's own date element → a date
in the URL → a visible date near the title (Gregorian, else Hijri). Header clocks are never read:
they show the day the page was fetched, which is what naive date extractors store.
"""
from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from crawler.extract.dates import parse_date_text, parse_iso
from crawler.extract.meta import PageMeta
from crawler.extract.text import SKIP_TAGS, clean_line, text_of
from crawler.extract.themed import inside as _inside
from crawler.extract.themes import Scan

_META_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
              "article.published", "publishdate", "pubdate", "dc.date.issued", "dcterms.issued",
              "parsely-pub-date", "sailthru.date")
# /2025/07/10/ and /2025-07-10 in paths; a year/month alone is not a day.
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_TEXT_WINDOW = 600  # characters of visible text read after the title (and before it)

Found = tuple[str, str]  # (iso date, source)


def _plausible(date: dt.date | None) -> bool:
    return date is not None and 1990 <= date.year <= dt.date.today().year + 1


def from_meta(meta: PageMeta) -> dt.date | None:
    for key in _META_KEYS:
        date = parse_iso(meta.og.get(key))
        if _plausible(date):
            return date
    return None


def from_jsonld(meta: PageMeta) -> dt.date | None:
    value = meta.ld_value("datePublished")
    if isinstance(value, list):
        value = value[0] if value else None
    date = parse_iso(value if isinstance(value, str) else None)
    return date if _plausible(date) else None


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
        if _plausible(date):
            return date, "gregorian"
    found = parse_date_text(text_of(el))
    if found and _plausible(found[0]):
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
            if _plausible(date):
                return date
    return None


def _text_around(root: etree._Element, anchor: etree._Element | None,
                 clocks: set[etree._Element]) -> tuple[str, str]:
    """Visible text just before and just after the title (clocks, scripts and nav left out)."""
    before: list[str] = []
    after: list[str] = []
    seen_anchor = anchor is None
    skip_until: etree._Element | None = None
    size = 0
    for el in root.iter():
        if skip_until is not None:
            if _inside(el, {skip_until}):
                continue
            skip_until = None
        if not isinstance(el.tag, str):
            continue
        if el.tag in SKIP_TAGS or el.tag in ("nav", "header") and el is not anchor \
                and not _inside(anchor, {el}) or el in clocks:
            skip_until = el
            continue
        if el is anchor:
            seen_anchor = True
            continue
        target = after if seen_anchor else before
        for piece in (el.text, el.tail):
            if piece and piece.strip():
                target.append(piece)
                if seen_anchor:
                    size += len(piece)
        if seen_anchor and size > _TEXT_WINDOW:
            break
        if not seen_anchor and len(before) > 200:
            del before[:100]
    return clean_line(" ".join(before))[-_TEXT_WINDOW // 2:], clean_line(" ".join(after))


def from_text(root: etree._Element, title_el: etree._Element | None,
              clocks: set[etree._Element], body_text: str = "") -> tuple[dt.date, str] | None:
    before, after = _text_around(root, title_el, clocks)
    for text in (after, before, body_text[:_TEXT_WINDOW]):
        found = parse_date_text(text)
        if found and _plausible(found[0]):
            return found
    return None


def find_date(root: etree._Element, meta: PageMeta, url: str, scan: Scan,
              title_el: etree._Element | None = None, body_text: str = "",
              dropped: set[etree._Element] | None = None) -> Found | None:
    """The ordered date finder: (ISO date, source) with source in meta, jsonld, theme, url,
    text, hijri — or None when the page shows no date at all. `dropped` are the theme's clutter
    elements (related posts, widgets): their dates belong to other articles."""
    date = from_meta(meta)
    if date:
        return date.isoformat(), "meta"
    date = from_jsonld(meta)
    if date:
        return date.isoformat(), "jsonld"
    clocks = set(scan.all("clock")) | (dropped or set())
    found = from_theme(scan, title_el, clocks)
    if found:
        return found[0].isoformat(), "theme"
    date = from_url(url)
    if date:
        return date.isoformat(), "url"
    found = from_text(root, title_el, clocks, body_text)
    if found:
        return found[0].isoformat(), "hijri" if found[1] == "hijri" else "text"
    return None
