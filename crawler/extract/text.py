"""DOM → lines of text, the way a reader sees paragraphs, without copying or changing the tree.

Themed pages are serialised here rather than by trafilatura: once the theme tells us the body
container, its paragraphs *are* the article, and trafilatura's heuristics only add risk (they drop
short subheadings and one-line paragraphs) and time (it copies and cleans the whole page).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from functools import lru_cache

from lxml import etree

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote section article header footer aside nav main "
    "table thead tbody tfoot tr dl dt dd pre figure hr address center details summary "
    "form fieldset caption".split()
)
CELL_TAGS = frozenset({"td", "th"})
# Never text of an article: code, embedded media, form controls, and the caption (own field).
SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed video audio canvas map "
    "button input select option textarea label figcaption head title meta link".split()
)

_WS = re.compile(r"[\s\u200b\u200e\u200f\ufeff]+")


def clean_line(text: str) -> str:
    """Collapse whitespace (incl. no-break and zero-width spaces) and NFC-normalise."""
    if "\u200b" in text or "\u200e" in text or "\u200f" in text or "\ufeff" in text:
        return unicodedata.normalize("NFC", _WS.sub(" ", text).strip())
    # The same without the zero-width characters: `\s` and str.split() both split on
    # str.isspace() characters, at about a third of the regex's cost.
    return unicodedata.normalize("NFC", " ".join(text.split()))


def block_lines(root: etree._Element, skip: Collection[etree._Element] = ()) -> list[str]:
    """Visible text of `root` as one line per block; elements in `skip` are left out whole."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            line = clean_line("".join(buf))
            buf.clear()
            if line:
                lines.append(line)

    # Iterative: a recursive walk fails past Python's recursion limit on deeply nested pages.
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        left_out = el is not root and (not isinstance(tag, str) or tag in SKIP_TAGS or el in skip)
        if event == "start":
            if left_out:
                walker.skip_subtree()  # its "end" still comes, and carries the tail
            else:
                if tag in BLOCK_TAGS or tag == "br":
                    flush()
                if el.text:
                    buf.append(el.text)
            continue
        if not left_out:
            if tag in BLOCK_TAGS:
                flush()
            elif tag in CELL_TAGS:
                buf.append(" ")
        if el is not root and el.tail:
            buf.append(el.tail)
    flush()
    return lines


def text_of(el: etree._Element) -> str:
    """Raw text of an element and its descendants (lxml.html's text_content for plain etree)."""
    return "".join(el.itertext())


def element_text(el: etree._Element | None) -> str:
    """All text of one element on one line (titles, dates, captions)."""
    if el is None:
        return ""
    return clean_line(" ".join(block_lines(el)))


def dedupe_consecutive(lines: Iterable[str]) -> list[str]:
    """Drop a line repeated right after itself (captions and leads printed twice)."""
    out: list[str] = []
    for line in lines:
        if not out or out[-1] != line:
            out.append(line)
    return out


_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_PUNCT = re.compile(r"[\s\-–—_:|•·.،,!؟?*«»\"'()\[\]]+")


@lru_cache(maxsize=256)  # a page's lines are keyed several times (check, captions, furniture)
def line_key(text: str) -> str:
    """A loose identity for comparing boilerplate lines: case, spacing and punctuation ignored."""
    # Soft hyphens and zero-width characters are invisible, and trafilatura removes them from
    # its text while the tree keeps them: the same paragraph must get the same key.
    return _PUNCT.sub(" ", _INVISIBLE.sub("", text)).strip().casefold()


SENTENCE_ENDS = (".", "!", "?", "。", "؟", "…")
_CLOSERS = "\"'”’»)] "


def ends_as_sentence(text: str, ends: tuple[str, ...] = SENTENCE_ENDS) -> bool:
    """`text` ends like a sentence (in any script), closing quotes and brackets aside: prose,
    not a label, a caption or a link."""
    return text.rstrip(_CLOSERS).endswith(ends)


class BodyKeys:
    """The body's line keys, asked whether a block's key is among them as whole words (` key `
    in ` k1 k2 … `: a paragraph the body holds alone or as part of a longer line).

    A key that is one of the lines (most asks) is a set lookup. Otherwise the joined keys are
    searched, within a budget of characters per page: each search reads the whole body, and a
    page of thousands of long paragraphs asked once per paragraph would take seconds (4,000
    paragraphs of 2 MB: ~1.2 s a clean-up). Past the budget only whole lines count, so the
    clean-ups that ask (chunks.py, quotes.py) stay linear; no page of the public sets gets
    near it."""

    SEARCH_BUDGET = 40_000_000  # characters searched per page (~20 ms)

    def __init__(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.lines = {k for k in keys if k}
        self.text = " " + " ".join(keys) + " "
        self.budget = self.SEARCH_BUDGET

    def __contains__(self, key: str) -> bool:
        return key in self.lines or self.search(f" {key} ")

    def search(self, text: str) -> bool:
        """`text` in the joined keys, if the page's budget allows the search."""
        if self.budget <= 0:
            return False
        self.budget -= len(self.text)
        return text in self.text

    def extend(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.lines.update(k for k in keys if k)
        self.text += " ".join(keys) + " "
