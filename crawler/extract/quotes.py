"""Quotations and prose paragraphs the generic pass left out between two paragraphs it kept.

trafilatura drops a `<blockquote>` whose wrapper's class names sound like a widget ("embed",
"social", "widget"): that is how embedded posts and statements are marked up, and a quoted post
between two paragraphs of the story is part of the story. It also drops a paragraph whose
text is largely links (a sentence citing three sources is one), which costs a story its
best-sourced paragraphs. Either is put back only when the paragraphs right before and after
it are both in the body, so a quote or paragraph in a sidebar, a teaser or a comment never
comes back; a paragraph also has to read as prose (a long sentence that ends like one, mostly
not link text, outside asides, lists and figures) and sit in the same container as a kept
neighbour (or in a sibling wrapper: some sites wrap every paragraph in its own block).
"""
from __future__ import annotations

from lxml import etree

from crawler.extract.text import BodyKeys, block_lines, ends_as_sentence, line_key

_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote")
MAX_QUOTE_WORDS = 300  # a "quotation" longer than this is a layout block, not a quoted post
PULL_WORDS = 5
# An article embeds a few posts; a page of hundreds of quotations is a thread or a comment page,
# whose quotes trafilatura's choice stands for (and each would cost a search of the body).
MAX_QUOTES = 50
PROSE_WORDS = 12  # shorter left-out paragraphs are labels, calls to action, bylines
MAX_LINKED = 0.5  # above this share of link text a paragraph is a list of links in a sentence
# A paragraph under one of these is a caption, a teaser, a list item or the frame's text.
_NOT_BODY = {"aside", "nav", "footer", "form", "header", "blockquote", "li", "figure"}


Blocks = list[tuple[etree._Element, str]]


def page_blocks(root: etree._Element) -> Blocks:
    """The page's paragraphs (subheadings, list items) in document order with their
    `line_key`, each quotation as one block: computed once, read by several clean-ups."""
    blocks: Blocks = []
    inside: set[etree._Element] = set()
    for el in root.iter(_BLOCKS):
        if el in inside or any(a in inside for a in el.iterancestors("blockquote")):
            continue
        if el.tag == "blockquote":
            inside.add(el)
        key = line_key(" ".join(block_lines(el)))
        if key:
            blocks.append((el, key))
    return blocks


def restore_between(lines: list[str], root: etree._Element,
                    blocks: Blocks | None = None) -> list[str]:
    """`lines` with every left-out quotation or prose paragraph that sits between two kept
    paragraphs inserted after the first of them (`blocks`: `page_blocks(root)`, if known)."""
    quotes = sum(1 for _ in root.iter("blockquote"))
    if quotes > MAX_QUOTES or not lines:
        return lines
    keys = [line_key(line) for line in lines]
    where = {k: i for i, k in enumerate(keys) if k}
    body = BodyKeys(keys)
    if blocks is None:
        blocks = page_blocks(root)
    inserts: dict[int, list[str]] = {}
    for n, (el, key) in enumerate(blocks):
        if el.tag not in ("blockquote", "p") or key in body \
                or len(key.split()) > MAX_QUOTE_WORDS:
            continue
        # The kept paragraphs must be its neighbours (at most one left-out block, like the
        # quote's own caption, between them and it).
        before = next(((e, k) for e, k in blocks[max(0, n - 2):n][::-1] if k in where), None)
        after = next(((e, k) for e, k in blocks[n + 1:n + 3] if k in where), None)
        if before is None or after is None:
            continue
        found = block_lines(el)
        if el.tag == "p" and not (_prose(el, found, key)
                                  and (_kin(el, before[0]) or _kin(el, after[0]))):
            continue
        if any(len(q.split()) >= PULL_WORDS and body.search(line_key(q))
               for q in found):
            continue  # a pull quote: the article's own sentence, shown twice
        inserts.setdefault(where[before[1]], []).extend(found)
    if not inserts:
        return lines
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(i, ()))
    return out


def _prose(el: etree._Element, found: list[str], key: str) -> bool:
    """A paragraph of the story rather than a caption, a label or a list of links."""
    words = len(key.split())
    if words < PROSE_WORDS or not ends_as_sentence(" ".join(found)):
        return False
    if any(a.tag in _NOT_BODY for a in el.iterancestors()):
        return False
    linked = sum(len(" ".join(a.itertext()).split()) for a in el.iter("a"))
    return linked <= MAX_LINKED * words


def _kin(a: etree._Element, b: etree._Element) -> bool:
    """Same parent, or parents that are siblings (one wrapper per paragraph)."""
    pa, pb = a.getparent(), b.getparent()
    if pa is None or pb is None:
        return False
    return pa is pb or (pa.getparent() is not None and pa.getparent() is pb.getparent())
