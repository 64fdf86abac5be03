"""Sites without rules: trafilatura, plus only clean-ups that cannot make its output worse."""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from lxml import etree

from crawler.extract.text import clean_line, dedupe_consecutive, line_key
from crawler.extract.tuned import narrowed

# trafilatura logs every discarded page at WARNING; a crawl would drown in it.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass
class Fallback:
    lines: list[str]
    title: str = ""
    author: str = ""
    date: str = ""
    image: str = ""
    tags: list[str] | None = None
    section: str = ""


# Past this many elements trafilatura's XPath passes take seconds (150k elements: 11 s; just
# under it, 5,900 paragraphs with a link each take 0.75 s); real article pages have a few
# thousand (at most 10,100 on the public evaluation sets). Bigger trees get the plain
# paragraph reading of `paragraph_lines`.
MAX_ELEMENTS = 12000
# trafilatura's link-density passes read, for each candidate block, every link under it: their
# cost is the sum over links of their depth (about 10 us a unit, four passes). Real pages stay
# under 29,000 (2,483 pages of the public sets); 300 nested link lists (4 s) are far over.
MAX_LINK_WORK = 50_000
# Its text passes (readability's candidate scores, trim, justext) read each candidate block's
# whole text: the sum over text of its depth, in characters. Real pages stay under 5.9M (2,483
# pages of the public sets); 99 nested divs of 40 paragraphs (2 MB) give 100M and took 1.4 s.
MAX_TEXT_WORK = 20_000_000
_PARAGRAPHS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")
_FRAME = ("nav", "footer", "aside", "header", "form")
_LINKS = etree.XPath("count(//a)")
_NODES = etree.XPath("count(descendant-or-self::node())")
_CODE = frozenset(("script", "style"))
_CHARS = etree.XPath("string-length(/*)")  # all the page's text, in C
_DEPTH_32 = etree.XPath("/*" * 32)  # elements at depth 32 (evaluated in C)


def paragraph_lines(root: etree._Element) -> list[str]:
    """The text of the page's paragraphs (and subheadings, list items, quotes) outside its
    frame: bounded work on a tree too big for trafilatura, where it finds the elements in C.
    Linear: each frame's subtree is read once (not every paragraph's ancestors)."""
    framed: set[etree._Element] = set()
    for frame in root.iter(*_FRAME):
        if frame not in framed:
            framed.update(frame.iter(*_PARAGRAPHS, *_FRAME))
    lines: list[str] = []
    for el in root.iter(*_PARAGRAPHS):
        if el in framed:
            continue
        line = clean_line("".join(el.itertext())[:5000])
        if line and (len(line.split()) >= 5 or el.tag in ("h2", "h3", "h4")):
            lines.append(line)
    return dedupe_consecutive(lines)


def element_count(root: etree._Element, limit: int) -> int:
    """Elements under `root`, counted up to `limit` + 1."""
    n = 0
    for n, _ in enumerate(root.iter(), 1):
        if n > limit:
            break
    return n


def link_work(root: etree._Element, limit: int = MAX_LINK_WORK) -> int:
    """The sum of the links' depths, counted up to `limit` + 1. Most pages are settled by
    two XPath counts in C (few links, or none deeper than 32 levels)."""
    links = int(_LINKS(root))
    if links * 100 <= limit or links * 32 <= limit and not _DEPTH_32(root):
        return 0  # bounded below the limit (the parse caps depth near 100, see flatten.py)
    work = 0
    for a in root.iter("a"):
        work += sum(1 for _ in a.iterancestors())
        if work > limit:
            break
    return work


def text_work(root: etree._Element, limit: int = MAX_TEXT_WORK) -> int:
    """The sum over the page's text of its depth (characters x levels), counted up to
    `limit` + 1. Most pages are settled by XPath in C (little text, or none deep)."""
    chars = int(_CHARS(root))
    if chars * 100 <= limit or chars * 32 <= limit and not _DEPTH_32(root):
        return 0
    work = depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if el.tag not in _CODE:  # trafilatura drops scripts first
                work += len(el.text or "") * depth
        else:
            depth -= 1
            work += len(el.tail or "") * depth
            if work > limit:
                break
    return work


def huge(root: etree._Element) -> bool:
    """Too big or too nested for trafilatura within the time a page may take."""
    # Every node, text included, counted in C first: at least the elements (most pages).
    many = _NODES(root) > MAX_ELEMENTS and element_count(root, MAX_ELEMENTS) > MAX_ELEMENTS
    return many or link_work(root) > MAX_LINK_WORK \
        or text_work(root) > MAX_TEXT_WORK


def _date_params() -> dict[str, object]:
    """htmldate's fast mode: markup, URL and plain date patterns, never its extensive search,
    which hands free text to dateparser and so loads dateparser's data for every language on
    the first page of a process (0.3 s of CPU, seconds of wall time on a busy machine). rasad's
    own date finder reads visible dates before htmldate's guess is ever used (finddate.py)."""
    return {"original_date": True, "extensive_search": False,
            "max_date": dt.date.today().isoformat()}


def run_trafilatura(root: etree._Element, url: str, metadata: bool = True,
                    bounded: bool | None = None, fast: bool = False) -> Fallback | None:
    """trafilatura on our parsed tree (it copies it first: the tree stays ours, and the page is
    parsed once, from text we decoded, so cp1256 pages reach it as Arabic, not mojibake).

    Comments are left out: plain `trafilatura.extract` appends them to the text, and a reader's
    comment is never article body, so leaving them out can only improve the body. `bounded`:
    `huge(root)` if the caller knows it already. `fast`: trafilatura's fast mode (no readability
    or justext comparison) favouring precision (no baseline rescue or recall retry, which
    re-read the whole tree): the cheap first opinion of the theme check (build.py `_checked`),
    about half the full pass's CPU."""
    import trafilatura  # imported lazily: themed outlets never pay for it

    if huge(root) if bounded is None else bounded:
        return Fallback(lines=paragraph_lines(root))
    try:
        with narrowed():  # its costliest steps, leaner (same result: tuned.py)
            doc = trafilatura.bare_extraction(
                root, url=url, fast=fast, favor_precision=fast, with_metadata=metadata,
                include_comments=False, include_tables=True,
                include_images=False, deduplicate=False, date_extraction_params=_date_params(),
            )
    except Exception:  # trafilatura raises assorted errors on odd trees; junk in, None out
        return None
    if doc is None:
        return None
    text = doc.text or ""
    lines = [clean_line(line) for line in text.split("\n")]
    lines = dedupe_consecutive(line for line in lines if line)
    return Fallback(
        lines=lines,
        title=clean_line(doc.title or ""),
        author=clean_line(doc.author or ""),
        date=doc.date or "",
        image=doc.image or "",
        tags=[t for t in (doc.tags or []) if t],
        section=", ".join(doc.categories or []) if doc.categories else "",
    )


# A WordPress shortcode the site failed to render: `[button link="…"]Send us…[/button]`,
# `[caption id="…"]…[/caption]`. A line that is one such pair is a widget, never prose; a lone
# opening or closing tag (one with attributes, or a closing tag) is markup left in the text.
_SHORTCODE_PAIR = re.compile(r"^\[([a-z][\w-]*)(?:\s[^\]]*)?\].*\[/\1\]$", re.S)
_SHORTCODE_TAG = re.compile(r"\[(?:[a-z][\w-]*\s+[\w-]+=[^\]]*|/[a-z][\w-]*)\]")


def drop_shortcodes(lines: list[str]) -> list[str]:
    """`lines` without unrendered shortcode widgets, and without stray shortcode tags."""
    out = []
    for line in lines:
        if "[" in line:
            if _SHORTCODE_PAIR.match(line):
                continue
            line = clean_line(_SHORTCODE_TAG.sub(" ", line))
        if line:
            out.append(line)
    return out


def remove_captions(lines: list[str], caption_keys: set[str], title: str) -> list[str]:
    """Drop lines that are exactly a figure caption or the headline repeated as first line."""
    out = [line for line in lines if line_key(line) not in caption_keys]
    if out and title and line_key(out[0]) == line_key(title) and len(out) > 1:
        out = out[1:]
    return out
