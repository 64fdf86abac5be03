"""Hidden copies of the article: the same text printed again where no reader sees it.

Some pages print their schema.org microdata as a hidden block (`style="display:none"`) holding
the headline, the dates, the image URL and the whole article body once more; trafilatura
keeps it, so the body comes out two or three times over, with metadata values between the
copies. Hidden text alone is no sign of a copy (many sites hide the article itself until a
script shows it), so only a line that repeats an earlier line of the body and sits in a hidden
element is dropped, with the short lines of hidden text between, before and after such repeats
(the metadata).
"""
from __future__ import annotations

import re

from lxml import etree

from crawler.extract.text import BodyKeys, line_key

_CANDIDATES = etree.XPath("//*[@hidden or contains(@style, 'none')]")  # narrowed below
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
MIN_WORDS = 3  # a shorter repeat ("Read more", a name) is not a copy of the body
SHORT = 8  # words: a metadata value (a date, a URL, a name), not a sentence


def drop_hidden_copies(lines: list[str], root: etree._Element) -> list[str]:
    """`lines` without the repeats that a hidden element holds (see the module doc)."""
    keys = [line_key(line) for line in lines]
    seen: set[str] = set()
    repeats: list[int] = []
    for i, k in enumerate(keys):
        if k in seen and len(k.split()) >= MIN_WORDS:
            repeats.append(i)
        seen.add(k)
    if not repeats:
        return lines  # most pages: no line twice, no look at the tree
    hidden = [el for el in _CANDIDATES(root)
              if el.get("hidden") is not None or _DISPLAY_NONE.search(el.get("style") or "")]
    outer = set(hidden)
    hidden = [el for el in hidden if not any(a in outer for a in el.iterancestors())]
    text = BodyKeys(line_key(" ".join(el.itertext())) for el in hidden)
    inside = [bool(k) and k in text for k in keys]  # linear on a page of thousands of lines
    dropped = [i for i in repeats if inside[i]]
    if not dropped:
        return lines
    gone = set(dropped)
    # Hidden lines between two repeats are the copy's own (dates, URLs, the publisher).
    for a, b in zip(dropped, dropped[1:], strict=False):
        if b > a + 1 and all(inside[i] for i in range(a + 1, b)):
            gone.update(range(a + 1, b))
    # So are the short hidden lines that open or close the copy (the headline, the dates), up to
    # a line of the visible text (one the copy repeats) or a line of prose.
    twice = {keys[i] for i in repeats}
    for start, step in ((dropped[0] - 1, -1), (dropped[-1] + 1, 1)):
        i = start
        while 0 <= i < len(keys) and inside[i] and keys[i] not in twice \
                and len(keys[i].split()) < SHORT:
            gone.add(i)
            i += step
    return [line for i, line in enumerate(lines) if i not in gone]
