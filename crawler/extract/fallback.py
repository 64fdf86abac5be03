"""Sites without rules: trafilatura, plus only clean-ups that cannot make its output worse."""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from lxml import etree

from crawler.extract.text import clean_line, dedupe_consecutive, line_key

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


# Past this many elements trafilatura's XPath passes take seconds (150k elements: 11 s); real
# article pages have a few thousand (at most 4,300 on the public evaluation sets). Bigger trees
# get the plain paragraph reading of `paragraph_lines`.
MAX_ELEMENTS = 12000
_PARAGRAPHS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")
_FRAME = {"nav", "footer", "aside", "header", "form"}


def paragraph_lines(root: etree._Element) -> list[str]:
    """The text of the page's paragraphs (and subheadings, list items, quotes) outside its
    frame: bounded work on a tree too big for trafilatura, where it finds the elements in C."""
    lines: list[str] = []
    for el in root.iter(*_PARAGRAPHS):
        if any(a.tag in _FRAME for a in el.iterancestors()):
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


def huge(root: etree._Element) -> bool:
    return element_count(root, MAX_ELEMENTS) > MAX_ELEMENTS


def _date_params() -> dict[str, object]:
    """htmldate's fast mode: markup, URL and plain date patterns, never its extensive search,
    which hands free text to dateparser and so loads dateparser's data for every language on
    the first page of a process (0.3 s of CPU, seconds of wall time on a busy machine). rasad's
    own date finder reads visible dates before htmldate's guess is ever used (finddate.py)."""
    return {"original_date": True, "extensive_search": False,
            "max_date": dt.date.today().isoformat()}


def run_trafilatura(root: etree._Element, url: str, metadata: bool = True) -> Fallback | None:
    """trafilatura on our parsed tree (it copies it first: the tree stays ours, and the page is
    parsed once, from text we decoded, so cp1256 pages reach it as Arabic, not mojibake).

    Comments are left out: plain `trafilatura.extract` appends them to the text, and a reader's
    comment is never article body, so leaving them out can only improve the body."""
    import trafilatura  # imported lazily: themed outlets never pay for it

    if huge(root):
        return Fallback(lines=paragraph_lines(root))
    try:
        doc = trafilatura.bare_extraction(
            root, url=url, with_metadata=metadata, include_comments=False, include_tables=True,
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
