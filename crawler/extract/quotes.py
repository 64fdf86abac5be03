"""Quotations the generic pass left out between two paragraphs it kept.

trafilatura drops a `<blockquote>` whose wrapper's class names sound like a widget ("embed",
"social", "widget"): that is how embedded posts and statements are marked up, and a quoted post
between two paragraphs of the story is part of the story. A quotation is put back only when the
paragraphs right before and after it are both in the body, so a quote in a sidebar, a teaser or
a comment never comes back.
"""
from __future__ import annotations

from lxml import etree

from crawler.extract.text import block_lines, line_key

_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote")
MAX_QUOTE_WORDS = 300
PULL_WORDS = 5
# An article embeds a few posts; a page of hundreds of quotations is a thread or a comment page,
# whose quotes trafilatura's choice stands for (and each would cost a search of the body).
MAX_QUOTES = 50  # a "quotation" longer than this is a layout block, not a quoted post


def restore_quotes(lines: list[str], root: etree._Element) -> list[str]:
    """`lines` with every left-out quotation that sits between two kept paragraphs inserted
    after the first of them."""
    quotes = sum(1 for _ in root.iter("blockquote"))
    if not quotes or quotes > MAX_QUOTES or not lines:
        return lines
    keys = [line_key(line) for line in lines]
    where = {k: i for i, k in enumerate(keys) if k}
    body = " " + " ".join(keys) + " "
    # The page's paragraphs in document order, each quotation as one block.
    blocks: list[tuple[etree._Element, str]] = []
    inside: set[etree._Element] = set()
    for el in root.iter(_BLOCKS):
        if el in inside or any(a in inside for a in el.iterancestors("blockquote")):
            continue
        if el.tag == "blockquote":
            inside.add(el)
        key = line_key(" ".join(block_lines(el)))
        if key:
            blocks.append((el, key))
    inserts: dict[int, list[str]] = {}
    for n, (el, key) in enumerate(blocks):
        if el.tag != "blockquote" or f" {key} " in body or len(key.split()) > MAX_QUOTE_WORDS:
            continue
        # The kept paragraphs must be its neighbours (at most one left-out block, like the
        # quote's own caption, between them and it).
        before = next((k for _, k in blocks[max(0, n - 2):n][::-1] if k in where), None)
        after = next((k for _, k in blocks[n + 1:n + 3] if k in where), None)
        if before is None or after is None:
            continue
        quote = block_lines(el)
        if any(len(q.split()) >= PULL_WORDS and line_key(q) in body for q in quote):
            continue  # a pull quote: the article's own sentence, shown twice
        inserts.setdefault(where[before], []).extend(quote)
    if not inserts:
        return lines
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(i, ()))
    return out
