"""Sites without rules: trafilatura, plus only clean-ups that cannot make its output worse."""
from __future__ import annotations

import logging
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from crawler.extract.flatten import cap_text
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
# article pages have a few thousand. Bigger trees lose their inline tags (text kept) first.
MAX_ELEMENTS = 12000
_INLINE = ("span", "a", "b", "i", "u", "em", "strong", "font", "small", "big", "sup", "sub",
           "abbr", "cite", "mark", "s", "strike", "time", "bdi", "bdo", "ins", "del", "q")


def element_count(root: etree._Element, limit: int) -> int:
    """Elements under `root`, counted up to `limit` + 1."""
    n = 0
    for n, _ in enumerate(root.iter(), 1):
        if n > limit:
            break
    return n


def run_trafilatura(root: etree._Element, url: str, metadata: bool = True) -> Fallback | None:
    """trafilatura on our parsed tree (it copies it first: the tree stays ours, and the page is
    parsed once, from text we decoded, so cp1256 pages reach it as Arabic, not mojibake).

    Comments are left out: plain `trafilatura.extract` appends them to the text, and a reader's
    comment is never article body, so leaving them out can only improve the body."""
    import trafilatura  # imported lazily: themed outlets never pay for it

    tree = root
    if element_count(root, MAX_ELEMENTS) > MAX_ELEMENTS:
        tree = deepcopy(root)
        etree.strip_tags(tree, *_INLINE)
        cap_text(tree)  # the inline runs just merged into text nodes
        metadata = False  # metadata passes walk the whole tree again: ours is enough
        if element_count(tree, MAX_ELEMENTS) > MAX_ELEMENTS:
            return None
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=metadata, include_comments=False, include_tables=True,
            include_images=False, deduplicate=False,
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


def remove_captions(lines: list[str], caption_keys: set[str], title: str) -> list[str]:
    """Drop lines that are exactly a figure caption or the headline repeated as first line."""
    out = [line for line in lines if line_key(line) not in caption_keys]
    if out and title and line_key(out[0]) == line_key(title) and len(out) > 1:
        out = out[1:]
    return out
