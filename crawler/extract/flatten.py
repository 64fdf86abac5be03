"""Pages libxml2 or trafilatura would choke on: nesting deeper than libxml2 builds (2048 levels
even with huge_tree) or deeper than any real page (trafilatura's link-density and text passes
walk each candidate's whole subtree, so nested wrappers cost depth x size: 300 nested link
lists took 4 s), and start tags with thousands of attributes. Both are defused in the text
before parsing, in one linear pass each, so the text inside them is kept and the parse stays
bounded."""
from __future__ import annotations

import re

from lxml import etree

# One tag at a time; `[^<>]*` stops at the next angle bracket, so every character is read a
# bounded number of times (no backtracking over the page).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Real pages nest at most 51 levels (617 pages of the public evaluation sets); past this the
# page is re-parsed with the deeper tags left out, except the outermost paragraph-level block
# of each run and the links in it, so the deep part reads as paragraphs at a bounded depth.
CAP = 100
_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li pre blockquote".split())
# Elements at depth CAP (an XPath of CAP child steps: evaluated in C, linear in the tree).
_AT_CAP = etree.XPath("/*" * CAP)


def too_deep(errors: object) -> bool:
    """The parser's error log says it stopped at its depth limit."""
    return any("Excessive depth" in (e.message or "") for e in errors)  # type: ignore[attr-defined]


def deeper_than_cap(root: etree._Element) -> bool:
    """The parsed page has an element at depth CAP (root = 1)."""
    return bool(_AT_CAP(root))


def flatten(text: str, cap: int = CAP) -> str:
    """`text` without the start and end tags that would sit deeper than `cap` (an estimate: a
    counter of open elements, void and self-closed tags aside), except, below `cap`, a block
    of `_BLOCKS` that no kept block holds and the links inside it."""
    out: list[str] = []
    depth = pos = 0
    kept: list[str] = []  # the paragraph block (and link) open below the cap
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        if closing:
            depth = max(0, depth - 1)
            keep = depth < cap
            if not keep and kept and kept[-1] == name:
                kept.pop()
                keep = True
        else:
            keep = depth < cap
            depth += 1
            if not keep and (name in _BLOCKS and not kept
                             or name == "a" and len(kept) == 1 and kept[0] != "a"):
                kept.append(name)
                keep = True
        if not keep:
            out.append(text[pos:match.start()])
            pos = match.end()
    out.append(text[pos:])
    return "".join(out)


# A start tag over 4 kB: only such a tag can carry thousands of attributes, which libxml2 checks
# for duplicates pairwise (100k attributes: minutes). Matched from one "<" to the next bracket.
_LONG_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)([^<>]{4096,})>")
MAX_ATTRIBUTES = 256


def shorten_tags(text: str) -> str:
    """`text` with start tags of more than MAX_ATTRIBUTES attributes reduced to their name
    (no page needs that many; a long data-* value or srcset keeps its tag whole)."""
    if len(text) < 4096:
        return text
    # Such a tag lies between two ">" at least 4,096 characters apart: most pages have none.
    if max(map(len, text.split(">"))) < 4096:
        return text

    def bare(match: re.Match[str]) -> str:
        if match.group(2).count("=") <= MAX_ATTRIBUTES:
            return match.group(0)
        return f"<{match.group(1)}>"

    return _LONG_TAG.sub(bare, text)


MAX_TEXT = 20000  # characters of one text node: ~3,000 words, longer than any real paragraph


def cap_text(root: etree._Element, limit: int = MAX_TEXT) -> None:
    """Cut text nodes longer than `limit` (a megabyte-long line): every later step runs regexes
    over text, and trafilatura's take seconds on such a node. Found by XPath (in C): a Python
    walk reading every node's text costs seconds itself on a page of 150k elements."""
    for node in _LONG_TEXT(root, n=limit):
        parent = node.getparent()
        if parent is None:
            continue
        if node.is_tail:
            parent.tail = str(node)[:limit]
        else:
            parent.text = str(node)[:limit]


_LONG_TEXT = etree.XPath("//text()[string-length(.) > $n]")
