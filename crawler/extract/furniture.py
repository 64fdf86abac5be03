"""Page furniture recognised by its structure, whatever its class names.

A newsletter box is a small block around a form; related-post lists, share bars and tag lines
are blocks whose text is mostly link text; asides and navs say what they are. The generic pass
(trafilatura) keeps some of these when a site's class names give it no hint; lines that are
exactly the text of such a block are dropped from its output.
"""
from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from crawler.extract.text import SKIP_TAGS, block_lines, line_key

_CONTROLS = frozenset(("input", "button", "select", "textarea"))
BLOCKS = frozenset("ul ol div p section li dl table aside nav form header footer".split())
LINK_SHARE = 0.6  # of a block's text in links: a list of links, not prose with a link in it
SMALL_BOX = 300  # characters: a form's surrounding block up to this size is the form's widget
# An aside, nav or form this big is a layout wrapper (ASP.NET pages sit in one <form>).
WRAPPER = 2000
MAX_FRAMES = 8  # nested link-heavy wrappers around the article: real pages have one or two
# A list of teasers: every item a link (a headline) with at most a line of text beside it.
TEASER, TEASER_LINKS, MIN_TEASERS = 300, 0.25, 2


def furniture(root: etree._Element, nested: bool = False) -> list[etree._Element]:
    """Outermost furniture blocks under `root` (every one if `nested`, inner ones first),
    found in one pass."""
    text_len: dict[etree._Element, int] = {}
    link_len: dict[etree._Element, int] = {}
    has_control: set[etree._Element] = set()
    items: dict[etree._Element, list[int]] = {}  # list -> [items, teaser items]
    found: list[etree._Element] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in SKIP_TAGS and tag not in _CONTROLS:
                walker.skip_subtree()
            continue
        own = len((el.text or "").strip()) if tag not in SKIP_TAGS else 0
        total = own + text_len.pop(el, 0)
        links = total if tag == "a" else link_len.pop(el, 0)
        control = el in has_control or tag in _CONTROLS
        has_control.discard(el)
        if tag in BLOCKS and (
                (tag in ("aside", "nav", "form") and total < WRAPPER)
                or (control and total < SMALL_BOX)
                or (total and links >= LINK_SHARE * total)
                or _teaser_list(items.pop(el, None))):
            found.append(el)
        parent = el.getparent()
        if parent is not None:
            tail = len((el.tail or "").strip())
            text_len[parent] = text_len.get(parent, 0) + total + tail
            link_len[parent] = link_len.get(parent, 0) + links
            if control and total < SMALL_BOX:
                has_control.add(parent)
            if tag == "li":
                count = items.setdefault(parent, [0, 0])
                count[0] += 1
                count[1] += bool(links) and links >= TEASER_LINKS * total and total < TEASER
    if nested:
        return found
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


def _teaser_list(count: list[int] | None) -> bool:
    return count is not None and count[0] >= MIN_TEASERS and count[1] == count[0]


def long_line(line: str) -> bool:
    """A line too long to be a widget's label or teaser: article prose."""
    return len(line.split()) >= 15 or len(line) > 100


def furniture_keys(root: etree._Element, body: Iterable[str] = ()) -> set[str]:
    """The `line_key` of every line of every furniture block. A block holding most of the long
    lines of `body` is the article's own frame, not a widget (a page inside one link-heavy
    block: its menus outweigh the article), and gives no keys; a widget quoting one teaser
    of the article still counts."""
    prose = {line_key(line) for line in body if long_line(line)}
    keys: set[str] = set()
    taken: set[etree._Element] = set()
    frames = 0
    for el in reversed(furniture(root, nested=True)):  # outer blocks before inner ones
        if taken and any(a in taken for a in el.iterancestors()):
            continue
        lines = block_lines(el)
        block = {k for line in lines if (k := line_key(line))}
        if prose and 2 * len(prose & block) > len(prose):
            frames += 1  # the frame: the widgets inside it are judged on their own
            if frames > MAX_FRAMES:
                break  # wrappers nested this deep are no layout (each costs a walk of the page)
            continue
        taken.add(el)
        keys |= block
        # A list item's lines as one (trafilatura prints "- headline teaser" on one line).
        for item in (el, *el.iter("li")):
            keys.add(line_key(" ".join(lines if item is el else block_lines(item))))
    keys.discard("")
    return keys


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def drop_trailing_headings(lines: list[str], root: etree._Element) -> list[str]:
    """`lines` without the headings that end them: a heading introduces what follows it, so one
    with nothing after it heads a section the extraction left out (comments, a newsletter box,
    "more stories"), never the article's own text."""
    if not lines:
        return lines
    headings = {line_key(" ".join(block_lines(el))) for el in root.iter(_HEADINGS)}
    headings.discard("")
    end = len(lines)
    while end > 1 and line_key(lines[end - 1]) in headings:
        end -= 1
    return lines[:end]
