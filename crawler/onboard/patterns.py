"""URL shapes: which links of a site are articles, which are listings, and regexes for both.

A URL's *shape* keeps its structure and forgets its values: `/archives/12345` is
`/archives/<num>`, `/2025/07/26/<slug>/` is `/<year>/<mm>/<dd>/<slug>/`, `/ar/?p=123` is
`/ar/?p=<num>`. Articles of one site share one or two shapes; what the feeds and sitemaps list
(dated, one per article) says which. Nothing here knows a site: only how CMSes build URLs.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from crawler.links.urls import strip_tracking

# A segment's token: ("lit", text) keeps a word; the others are classes of values.
Token = tuple[str, str]
_NUM = re.compile(r"^\d+$")
_PREFIXED_NUM = re.compile(r"^([A-Za-z][A-Za-z_-]*?[-_]?)(\d+)(\.[A-Za-z0-9]{2,5})?$")
_ID_SLUG = re.compile(r"^\d{2,}[-_]\S")
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{0,24}$")
_FILE = re.compile(r"\.(html?|php|aspx?|jsp)$", re.I)

CLASS_RE = {
    "year": r"\d{4}", "mm": r"\d{1,2}", "num": r"\d+", "slug": r"[^/?#]+",
    "idslug": r"\d+[-_][^/?#]*",
}


def _segment(seg: str) -> Token:
    text = unquote(seg)
    if _NUM.match(text):
        if len(text) == 4 and text[:2] in ("19", "20"):
            return ("year", "")
        return ("num", text)  # value kept for `shape` to tell a month or day after a year
    if _ID_SLUG.match(text):  # "164299-<slug>": an id that decides, a slug that decorates
        return ("idslug", "")
    match = _PREFIXED_NUM.match(text)
    if match and not _WORD.match(text):  # "feature-12", "news123.html": a word and an id
        return ("pnum", match.group(1) + "|" + (match.group(3) or ""))
    if _WORD.match(text) and "-" not in text and "_" not in text and len(text) <= 20:
        return ("lit", text)
    return ("slug", "")


@dataclass(frozen=True)
class Shape:
    segments: tuple[Token, ...]
    query: tuple[tuple[str, str], ...]  # (key, "num" | "slug")
    slash: bool  # trailing slash

    def skeleton(self) -> tuple:
        """The shape with words forgotten too: `/news/<num>` and `/sport/<num>` meet here."""
        return (tuple("lit" if k == "lit" else k for k, _ in self.segments), self.query)


def shape(url: str) -> Shape:
    # Feeds tag their links (utm_source=rss): tracking parameters are no part of the shape.
    parts = urlsplit(strip_tracking(url))
    segs = [s for s in parts.path.split("/") if s]
    query = tuple(sorted((k, "num" if _NUM.match(v) else "slug")
                         for k, v in parse_qsl(parts.query, keep_blank_values=True)))
    tokens = [_segment(s) for s in segs]
    for i, (kind, value) in enumerate(tokens):
        # A month or a day only right after a year (/2025/7/26/): a short number elsewhere is an
        # id (/archives/42) and must stay `\d+`.
        after_date = kind == "num" and i and tokens[i - 1][0] in ("year", "mm")
        date_part = after_date and len(value) <= 2 and int(value) <= 31 and (
            tokens[i - 1][0] == "year" or i >= 2 and tokens[i - 2][0] == "year")
        tokens[i] = ("mm", "") if kind == "num" and date_part else (
            (kind, "") if kind == "num" else (kind, value))
    return Shape(tuple(tokens), query, parts.path.endswith("/") and bool(segs))


def _seg_regex(tokens: list[Token]) -> str:
    kinds = {k for k, _ in tokens}
    if kinds == {"lit"}:
        words = sorted({v for _, v in tokens})
        return re.escape(words[0]) if len(words) == 1 else r"[^/?#]+"
    if kinds == {"pnum"}:
        values = {v for _, v in tokens}
        if len(values) == 1:
            prefix, ext = next(iter(values)).split("|")
            return re.escape(prefix) + r"\d+" + re.escape(ext)
        return r"[^/?#]+"
    if len(kinds) == 1:
        return CLASS_RE[next(iter(kinds))]
    if kinds <= {"year", "mm", "num"}:
        return r"\d+"
    return r"[^/?#]+"


def regex_for(shapes: list[Shape], optional_tail: bool = False) -> str:
    """One anchored regex (searched in path + query, as the config's `article_url`) matching
    every shape of the list; all of them share one skeleton."""
    first = shapes[0]
    parts = []
    for i in range(len(first.segments)):
        parts.append("/" + _seg_regex([s.segments[i] for s in shapes]))
    path = "".join(parts) or ""
    tail = r"(/[^/?#]*)?" if optional_tail else ""
    if first.query:
        query = "&".join(f"{re.escape(k)}={CLASS_RE[v]}" for k, v in first.query)
        slash = "/" if any(s.slash for s in shapes) or not first.segments else ""
        return f"^{path}{slash}\\?{query}$"
    if not first.segments:
        return "^/?$"
    return f"^{path}{tail}/?$"


def group(urls: Iterable[str]) -> dict[tuple, list[str]]:
    """URLs by skeleton, biggest group first."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for url in urls:
        groups[shape(url).skeleton()].append(url)
    return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


def article_pattern(evidence: list[str], min_share: float = 0.15) -> tuple[list[str], list[str]]:
    """(regexes, the evidence URLs they cover) from URLs that are known to be articles (feed items,
    dated sitemap entries). Shapes holding under `min_share` of the evidence are stray pages a
    sitemap lists too (an about page, a landing page) and are left out.

    A shape that is another one plus a trailing slug (`/feature-12` and `/feature-12/<slug>`)
    is the same article with an optional slug: one regex with an optional last segment."""
    groups = group(dict.fromkeys(evidence))
    total = sum(len(v) for v in groups.values())
    kept = {k: v for k, v in groups.items()
            if len(v) >= max(2, min_share * total) or len(groups) == 1}
    merged: list[tuple[list[str], bool]] = []
    used: set[tuple] = set()
    for key, urls in kept.items():
        if key in used:
            continue
        segs, query = key
        longer = ((*segs, "slug"), query)
        shorter = (segs[:-1], query) if segs and segs[-1] == "slug" else None
        if longer in kept and longer not in used:
            used |= {key, longer}
            merged.append((urls + kept[longer], True))
        elif shorter is not None and shorter in kept and shorter not in used:
            used |= {key, shorter}
            merged.append((kept[shorter] + urls, True))
        else:
            used.add(key)
            merged.append((urls, False))
    regexes, covered = [], []
    for urls, tail in merged:
        shapes = [shape(u) for u in urls]
        if tail:
            n = min(len(s.segments) for s in shapes)
            shapes = [Shape(s.segments[:n], s.query, s.slash) for s in shapes]
        regexes.append(regex_for(shapes, optional_tail=tail))
        covered += urls
    return regexes, covered


def matches(regexes: Iterable[str], url: str) -> bool:
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    return any(re.search(r, target) for r in regexes)


# --- listings --------------------------------------------------------------------------------
PAGINATION_HINT = re.compile(r"(?:^|[/?&_-])(?:page|paged|p|pg|pagina|offset|start)[/=-]?(\d+)",
                              re.I)


def pagination_regex(listing: str, next_url: str) -> str | None:
    """A regex for the page-N links of a listing, from one listing URL and its page-2 URL."""
    a, b = urlsplit(listing), urlsplit(next_url)
    qa, qb = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    for key, value in qb.items():
        if value.isdigit() and qa.get(key) != value:
            return rf"[?&]{re.escape(key)}=\d+"
    if b.path.startswith(a.path.rstrip("/")):
        rest = b.path[len(a.path.rstrip("/")):]
        match = re.fullmatch(r"/([A-Za-z_-]+)/(\d+)/?", rest)
        if match:
            return rf"/{re.escape(match.group(1))}/\d+/?$"
        match = re.fullmatch(r"/(\d+)/?", rest)
        if match:
            return r"/\d+/?$"
    return None


def listing_regex(urls: list[str]) -> list[str]:
    """Regexes for listing pages (sections, categories) from the confirmed ones."""
    out = []
    for urls_of in group(urls).values():
        shapes = [shape(u) for u in urls_of]
        first = shapes[0]
        path = "".join("/" + _seg_regex([s.segments[i] for s in shapes])
                       for i in range(len(first.segments)))
        if first.query:
            query = "&".join(f"{re.escape(k)}={CLASS_RE[v]}" for k, v in first.query)
            slash = "/" if any(s.slash for s in shapes) else ""
            out.append(f"^{path}{slash}\\?{query}(&[^#]*)?$")
        else:
            out.append(f"^{path}/?(\\?[^#]*)?$")
    return list(dict.fromkeys(out))
