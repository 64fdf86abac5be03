"""From a parsed page to an Article: the themed path, the generic path, and shared fields."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import urljoin

from lxml import etree

from crawler.extract.authors import ld_people, pick_authors
from crawler.extract.check import MIN_JUDGED, Drift, check_body
from crawler.extract.chunks import restore_chunks
from crawler.extract.fallback import drop_shortcodes, remove_captions, run_trafilatura
from crawler.extract.finddate import find_date, from_page
from crawler.extract.flags import date_flags
from crawler.extract.furniture import drop_trailing_headings, furniture_keys, long_line
from crawler.extract.hidden import drop_hidden_copies
from crawler.extract.lang import detect_language
from crawler.extract.meta import PageMeta, canonical_url, ld_list, ld_text
from crawler.extract.quotes import page_blocks, restore_between
from crawler.extract.text import element_text, line_key
from crawler.extract.themed import Parts, safe_lines, strip_byline, themed_parts
from crawler.extract.themes import Compiled, Scan
from crawler.extract.titles import SEPARATORS, strip_site_name
from storage.record import Article

MIN_WORDS = 20  # a themed body shorter than this is a stub, a teaser or a layout change
# WordPress <body class> of pages that are not single posts.
_NOT_POST_CLASSES = {"archive", "category", "tag", "home", "blog", "search", "page", "error404",
                     "author", "date"}

Result = tuple[Article | None, str, Drift | None]
_MIN_RUN = 3  # furniture lines in a row at an edge of the generic body before they are cut
_URL_LINE = re.compile(r"^\S*https?://\S+$")  # a bare link printed as text


def themed(root: etree._Element, meta: PageMeta, url: str, comp: Compiled, outlet: str,
           first_seen: str | None) -> Result:
    scan = comp.scan(root)
    if _listing_or_page(meta, scan):
        return None, "not_article", None
    dropped = set(scan.all("drop"))
    parts = themed_parts(scan, comp, dropped)
    if parts.container is None:
        return None, "no_body", None
    author = _author(meta, scan)
    categories = [element_text(el) for el in scan.all("section")][:6]
    title = parts.title or _meta_title(meta, url, root)
    lines = strip_byline(parts.lines, [author, *categories])
    lines, drift = _checked(root, url, lines, parts, comp, scan, title,
                            lambda: strip_byline(safe_lines(parts, comp, dropped),
                                                 [author, *categories]))
    body = "\n".join(lines)
    if not body:
        return None, "no_body", drift
    if len(body.split()) < MIN_WORDS:
        return None, "too_short", drift
    if not title:
        return None, "no_title", drift
    # Title rules that fit no more: the <h1> holding the headline anchors the date search.
    title_el = parts.title_el if parts.title_el is not None else _heading(root, title)
    found = find_date(root, meta, url, scan, title_el, body, dropped, parts.container)
    article = _article(meta, url, scan, outlet, first_seen, title, body, found, author, parts)
    return article, "ok", drift


def _checked(root: etree._Element, url: str, lines: list[str], parts: Parts, comp: Compiled,
             scan: Scan, title: str, rebuild: Callable[[], list[str]]) \
        -> tuple[list[str], Drift | None]:
    """The themed body checked against the generic pass over the same tree (see check.py).
    The check first runs against trafilatura's fast, precise mode (about half the full pass's
    CPU); only when that rejects the themed body is the full generic pass run, and its verdict
    (and body) is the one kept, so a stored body is the checked themed one or what the full
    pass gives: the same as checking against the full pass alone, on every mirror page in both
    skins. A page whose rules drift pays both passes (a layout change: rare).
    (A body under MIN_JUDGED words is not judged, and is too short to keep: no generic pass.)"""
    if sum(len(line.split()) for line in lines) < MIN_JUDGED:
        return check_body(lines, None, comp, scan, parts.container_rule, rebuild, title)
    for fast in (True, False):
        fb = run_trafilatura(root, url, metadata=False, fast=fast)
        generic_lines = remove_captions(fb.lines, parts.caption_keys, title) if fb else None
        if fast and not generic_lines:
            continue  # no opinion from the fast pass: ask the full one
        kept, drift = check_body(lines, generic_lines, comp, scan, parts.container_rule,
                                 rebuild, title)
        if drift is None or not fast:
            if drift is not None and drift.kind == "missing":  # the generic body is stored:
                kept = generic_cleanup(kept, root)  # with the clean-ups `generic` gives it
            return kept, drift
    return lines, None


def generic(root: etree._Element, meta: PageMeta, url: str, comp: Compiled, outlet: str,
            first_seen: str | None, bounded: bool = False) -> Result:
    """`bounded`: the page is too big or too nested for trafilatura (`fallback.huge`)."""
    fb = run_trafilatura(root, url, bounded=bounded)
    if fb is None or not fb.lines:
        return None, "no_body", None
    caps = [c for el in root.iter("figcaption") if (c := element_text(el))]
    title = _meta_title(meta, url, root) or fb.title
    lines = generic_cleanup(remove_captions(fb.lines, {line_key(c) for c in caps}, title), root,
                            bounded)
    if not lines or not title:
        return None, "no_body" if not lines else "no_title", None
    body = "\n".join(lines)
    scan = comp.scan(root)
    found = find_date(root, meta, url, scan, _heading(root, title), body)
    if found is None and fb.date and fb.date[:10] != dt.date.today().isoformat():
        # htmldate's guess, except "today": on a page with no date that is a header clock.
        found = (fb.date[:10], "text")
    if found is None and (date := from_page(root)):
        found = (date.isoformat(), "text")
    parts = Parts(caption=caps[0] if caps else "")
    author = _author(meta, scan, fb.author)
    article = _article(meta, url, scan, outlet, first_seen, title, body, found, author, parts)
    article.tags = article.tags or list(fb.tags or [])
    article.section = article.section or fb.section or None
    article.image = article.image or (urljoin(url, fb.image) if fb.image else None)
    return article, "ok", None


def generic_cleanup(lines: list[str], root: etree._Element, bounded: bool = False) -> list[str]:
    """rasad's clean-ups of a generic (trafilatura) body, wherever that body is stored: on a
    page without rules, or on a themed page whose rules missed most of the text."""
    lines = drop_shortcodes(lines)
    # Widgets trafilatura kept for want of telling class names (newsletter boxes, link lists),
    # hidden copies of the body it kept, and the rest of a body split into chunks it left out.
    if not bounded:  # a page of 100k elements is no article layout: no time for it
        lines = drop_hidden_copies(lines, root)
        blocks = page_blocks(root)
        lines = restore_chunks(lines, blocks)
        lines = drop_trailing_headings(_trim_furniture(lines, furniture_keys(root, lines)), root)
        lines = restore_between(lines, root, blocks)
    return lines


def _trim_furniture(lines: list[str], furniture: set[str]) -> list[str]:
    """`lines` without the furniture lines that open or close them (a newsletter box or a
    related list trafilatura kept after the article). Furniture between article lines stays:
    there it is often part of the story (a list of links the article is about)."""
    # Only short lines: a long one found in a widget too is the article quoted by the widget;
    # but a list item ("- ", as trafilatura prints them) is the widget's own teaser.
    keep = [i for i, line in enumerate(lines) if long_line(line) and not line.startswith("- ") or
            line_key(line) not in furniture and not _URL_LINE.match(line)]
    if not keep:
        return lines
    # A widget is a run of lines (a form box, a list); one link line may end the story itself.
    start = keep[0] if keep[0] >= _MIN_RUN else 0
    end = keep[-1] + 1 if len(lines) - keep[-1] - 1 >= _MIN_RUN else len(lines)
    trimmed = lines[start:end]
    # Else the "furniture" was the article's own frame (a page inside one link-heavy block).
    return trimmed if _words(trimmed) >= 0.5 * _words(lines) else lines


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def _listing_or_page(meta: PageMeta, scan: Scan) -> bool:
    """Category listings, the home page and static pages are not articles. WordPress says so in
    <body class> and og:type; a theme's archive/page header is the fallback sign."""
    if meta.body_classes & _NOT_POST_CLASSES and "single" not in meta.body_classes:
        return True
    og_type = meta.get("og:type").lower()
    if og_type and og_type not in ("article", "news", "newsarticle"):
        return True
    return bool(scan.all("not_article"))


def _site_names(meta: PageMeta) -> list[str]:
    names = [meta.get("og:site_name", "application-name")]
    for obj in meta.jsonld:
        if obj.get("@type") in ("Organization", "WebSite", "NewsMediaOrganization"):
            names.append(ld_text(obj.get("name")))
    return [n for n in names if n]


_LOGOS = etree.XPath("//*[contains(@class, 'logo')][position() <= 3]")


def _logo_names(root: etree._Element) -> list[str]:
    """The site's name as its logo shows it (text or image alt): the suffix of <title>."""
    names = []
    for el in _LOGOS(root)[:6]:
        names.append(element_text(el))
        names += [img.get("alt") or "" for img in el.iter("img")]
    return [n for n in names if n and len(n) < 60]


def _meta_title(meta: PageMeta, url: str, root: etree._Element | None = None) -> str:
    """The headline from metadata, without the site name; an <h1> that is exactly one part of
    it confirms where the headline ends (what trafilatura's single-<h1> rule does)."""
    candidates = [c for c in (ld_text(meta.ld_value("headline")),
                              meta.get("og:title", "twitter:title"), meta.title_tag) if c]
    if not candidates:
        return ""
    h1s = [t for el in root.iter("h1") if (t := element_text(el))][:5] if root is not None else []
    for candidate in candidates:
        for h1 in h1s:
            # The h1 must be the longer part: a logo <h1> ("Site") must not become the title.
            rest = len(candidate) - len(h1)
            if candidate == h1 or len(h1) > rest and any(
                    candidate.startswith(h1 + sep) or candidate.endswith(sep + h1)
                    for sep in SEPARATORS):
                return h1
    names = _site_names(meta) + (_logo_names(root) if root is not None else [])
    return strip_site_name(candidates[0], names, url)


def _heading(root: etree._Element, title: str) -> etree._Element | None:
    """The element showing the headline (the anchor of the date search): the <h1>/<h2> that is
    the title, else the <h1>–<h3> holding the most of it or held by it (a title tag with the
    site's name or a section, a headline with a kicker)."""
    key = line_key(title)
    if not key:
        return None
    near, size = None, 0
    for i, el in enumerate(root.iter("h1", "h2", "h3")):
        text = line_key(element_text(el))
        if text == key and el.tag != "h3":
            return el
        # The longest part: "headline - site name" holds the site's logo <h1> too.
        if i < 50 and len(text) > max(size, 11) and min(len(text), len(key)) >= 0.4 * max(
                len(text), len(key)) and (text in key or key in text):
            near, size = el, len(text)
    return near


def _author(meta: PageMeta, scan: Scan, fallback: str = "") -> str:
    """The writers, never the outlet: Yoast prints the site as JSON-LD author when a post has none,
    and tagDiv prints the WordPress account ("admin"). JSON-LD people first (all of them), then
    meta tags, the theme's byline, and trafilatura's guess (sites without rules)."""
    people, orgs = ld_people(meta.ld_value("author"))
    return pick_authors(
        [people, meta.get("author"), meta.get("article:author"), meta.get("dc.creator"),
         meta.get("parsely-author", "sailthru.author"),
         [element_text(el) for el in scan.all("author")[:3]], fallback.replace("; ", ";")],
        [*_site_names(meta), *orgs])


def _section(meta: PageMeta, scan: Scan, author: str) -> str:
    # The primary category (Yoast's article:section / articleSection) before the visible list,
    # whose first entry may be a columnist's own category (named after the author).
    section = meta.get("article:section") or ld_text(meta.ld_value("articleSection"))
    if section:
        return section.split(", ")[0]
    visible = [t for el in scan.all("section") if (t := element_text(el))]
    own = [t for t in visible if line_key(t) != line_key(author)]
    return (own or visible or [""])[0]


def _tags(meta: PageMeta, scan: Scan) -> list[str]:
    tags = meta.article_tags or ld_list(meta.ld_value("keywords")) or \
        [element_text(el) for el in scan.all("tags")]
    return [t for t in dict.fromkeys(tags) if t]


def _image(meta: PageMeta, parts: Parts, url: str) -> str | None:
    image = meta.get("og:image", "og:image:url", "twitter:image")
    if not image and parts.container is not None:
        for img in parts.container.iter("img"):
            src = img.get("data-src") or img.get("src") or ""
            if src and not src.startswith("data:"):
                image = src
                break
    return urljoin(url, image) if image else None


def _article(meta: PageMeta, url: str, scan: Scan, outlet: str, first_seen: str | None,
             title: str, body: str, found: tuple[str, str] | None, author: str,
             parts: Parts) -> Article:
    published, source = found if found else (None, None)
    return Article(
        url=url,
        canonical_url=canonical_url(meta, url),
        outlet=outlet,
        title=title,
        body=body,
        published=published,
        published_source=source,
        author=author or None,
        language=detect_language(f"{title}\n{body}", meta.html_lang),
        section=_section(meta, scan, author) or None,
        tags=_tags(meta, scan),
        image=_image(meta, parts, url),
        caption=parts.caption or None,
        date_flags=date_flags(published, first_seen),
    )
