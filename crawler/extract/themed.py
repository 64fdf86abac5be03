"""Body, title and caption of a page whose theme we know: the container is read directly."""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crawler.extract.text import block_lines, dedupe_consecutive, element_text, line_key, text_of
from crawler.extract.themes import Compiled, Scan


@dataclass
class Parts:
    container: etree._Element | None = None
    lines: list[str] = field(default_factory=list)
    title: str = ""
    title_el: etree._Element | None = None
    caption: str = ""
    caption_keys: set[str] = field(default_factory=set)
    container_rule: str = ""  # the body selector that matched


def inside(el: etree._Element, ancestors: set[etree._Element]) -> bool:
    """`el` or one of its ancestors is in `ancestors`."""
    while el is not None:
        if el in ancestors:
            return True
        el = el.getparent()
    return False


def first_text(scan: Scan, group: str, skip: set[etree._Element] = frozenset()) \
        -> tuple[str, etree._Element | None]:
    """Text of the first element (by selector preference, then document order) with text,
    outside the clutter in `skip` (related posts reuse the theme's title classes)."""
    for matches in scan.ranked(group):
        for el in matches:
            if skip and inside(el, skip):
                continue
            text = element_text(el)
            if text:
                return text, el
    # A theme may drop its whole header block from the body (citadel): its <h1> is still the
    # headline. Widgets never use <h1> for other articles' titles.
    for matches in scan.ranked(group):
        for el in matches:
            text = element_text(el) if el.tag == "h1" else ""
            if text:
                return text, el
    return "", None


def find_container(scan: Scan) -> tuple[etree._Element | None, int]:
    """The body container and the index of the body selector that found it."""
    for i, found in enumerate(scan.ranked("body")):
        if found:
            # Several matches (a theme reusing the class in widgets): the one with most text.
            return (max(found, key=lambda el: len(text_of(el))) if len(found) > 1
                    else found[0]), i
    return None, -1


def captions(scan: Scan, skip: set[etree._Element] = frozenset()) -> list[str]:
    """Every caption text the theme shows, the featured one first, each once."""
    out: list[str] = []
    for el in scan.all("caption"):
        text = element_text(el)
        if text and text not in out:
            out.append(text)
    return out


def filter_lines(lines: list[str], comp: Compiled, drop_keys: set[str]) -> list[str]:
    """Remove theme strings, counters and captions; stop at the after-article furniture once a
    real paragraph has been seen (a stop phrase cannot then cut the article itself)."""
    out: list[str] = []
    seen_paragraph = False
    for line in lines:
        key = line_key(line)
        if not key or key in drop_keys or key in comp.drop_keys:
            continue
        if comp.drop_re is not None and comp.drop_re.match(line):
            continue
        if key in comp.stop_keys:
            if seen_paragraph:
                break
            continue
        if len(line.split()) >= 8:
            seen_paragraph = True
        out.append(line)
    return dedupe_consecutive(out)


def strip_byline(lines: list[str], names: list[str]) -> list[str]:
    """Columns open the body with the writer's name on its own line: a byline, not text."""
    keys = {line_key(n) for n in names if n}
    while lines and len(lines) > 1:
        first = lines[0]
        # Exactly a known name (punctuation aside: "د. ماهر الخطيب"), and short.
        if line_key(first) in keys and len(first.split()) <= 8:
            lines = lines[1:]
        else:
            break
    return lines


_CONTROLS = ("input", "button", "select", "textarea")
_LINKY = frozenset("ul ol div p section li dl table".split())


def widgets(container: etree._Element) -> set[etree._Element]:
    """Blocks inside the body container that are page furniture by their structure, whatever
    their class names: asides, navs and forms, the small block around a form (a newsletter
    box), and blocks whose text is mostly link text (related posts, share and tag lists).
    Used when the theme's own clutter selectors have been found not to fit the page."""
    found: set[etree._Element] = set()
    for el in container.iter("aside", "nav", "form", *_CONTROLS):
        if el.tag in _CONTROLS or el.tag == "form":
            block = el.getparent()
            while block is not None and block is not container and block.tag not in _LINKY:
                block = block.getparent()
            if block is not None and block is not container and len(text_of(block).split()) < 40:
                found.add(block)
                continue
        found.add(el)
    for el in container.iter(*_LINKY):
        if el is container:
            continue
        text = text_of(el).strip()
        links = [a for a in el.iter("a")]
        if text and links and sum(len(text_of(a).strip()) for a in links) >= 0.6 * len(text):
            found.add(el)
    return found


def safe_lines(parts: Parts, comp: Compiled, dropped: set[etree._Element]) -> list[str]:
    """The body again, without the structural furniture of `widgets`."""
    if parts.container is None:
        return parts.lines
    skip = (dropped - {parts.container}) | widgets(parts.container)
    lines = block_lines(parts.container, skip)
    if lines and parts.title and line_key(lines[0]) == line_key(parts.title):
        lines = lines[1:]
    return filter_lines(lines, comp, set(parts.caption_keys))


def themed_parts(scan: Scan, comp: Compiled, dropped: set[etree._Element]) -> Parts:
    parts = Parts()
    container, rule = find_container(scan)
    if rule >= 0:
        parts.container_rule = comp.groups["body"][rule]
    # The headline is never inside clutter, except the clutter containing the body itself.
    parts.title, parts.title_el = first_text(scan, "title", dropped - {container})
    if container is None:
        return parts
    parts.container = container
    skip = dropped - {container}
    caps = captions(scan)
    parts.caption = caps[0] if caps else ""
    parts.caption_keys = {line_key(c) for c in caps}
    lines = block_lines(container, skip)
    drop_keys = set(parts.caption_keys)
    if lines and parts.title and line_key(lines[0]) == line_key(parts.title):
        lines = lines[1:]
    parts.lines = filter_lines(lines, comp, drop_keys)
    if comp.theme.hook is not None:
        parts.lines = comp.theme.hook(container, parts.lines)
    return parts
