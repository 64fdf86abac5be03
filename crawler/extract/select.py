"""A small CSS matcher that finds every theme selector in one pass over the tree.

lxml's CSSSelector compiles each selector to XPath and walks the whole document per selector;
a union of the ~60 clutter selectors of a theme costs 5–50 ms per page. Theme selectors are
simple (tag, #id, .class, [attr*=v], descendant and child combinators), so they are indexed by
their rightmost id/class/tag and checked only against elements carrying that key: one Python
pass over the tree answers all groups. Anything fancier (pseudo-classes) falls back to lxml.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.cssselect import CSSSelector

_COMPOUND = re.compile(r"""
    (?P<tag>[a-zA-Z][a-zA-Z0-9]*|\*)?
    (?P<rest>(?:\#[\w-]+|\.[\w-]+|\[[a-zA-Z_:][\w:.-]*(?:[*^$~|]?=(?:'[^']*'|"[^"]*"|[^\]]*))?\])*)
    $""", re.X)
_PIECE = re.compile(r"""\#(?P<id>[\w-]+)|\.(?P<cls>[\w-]+)|
    \[(?P<attr>[a-zA-Z_:][\w:.-]*)(?:(?P<op>[*^$~|]?=)(?P<val>'[^']*'|"[^"]*"|[^\]]*))?\]""", re.X)


@dataclass(frozen=True)
class Compound:
    tag: str | None
    id: str | None
    classes: frozenset[str]
    attrs: tuple[tuple[str, str, str], ...]

    def matches(self, el: etree._Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes and not self.classes.issubset((el.get("class") or "").split()):
            return False
        for name, op, value in self.attrs:
            got = el.get(name)
            if got is None:
                return False
            if op == "=" and got != value or op == "*=" and value not in got \
                    or op == "^=" and not got.startswith(value) \
                    or op == "$=" and not got.endswith(value) \
                    or op == "~=" and value not in got.split():
                return False
        return True


@dataclass(frozen=True)
class Selector:
    parts: tuple[Compound, ...]  # left to right
    combinators: tuple[str, ...]  # between parts: " " (descendant) or ">" (child)

    def matches(self, el: etree._Element, memo: dict | None = None) -> bool:
        """`memo` (one per scan) remembers ancestor answers: the many links of a page share
        their ancestors, so "is this inside .jeg_meta_category?" is answered once per node."""
        memo = {} if memo is None else memo
        return self.parts[-1].matches(el) and self._up(el, len(self.parts) - 2, memo)

    def _up(self, el: etree._Element, i: int, memo: dict) -> bool:
        if i < 0:
            return True
        parent = el.getparent()
        if parent is None:
            return False
        if self.combinators[i] == ">":
            return self.parts[i].matches(parent) and self._up(parent, i - 1, memo)
        return self._within(parent, i, memo)

    def _within(self, el: etree._Element, i: int, memo: dict) -> bool:
        """`el` or one of its ancestors matches part i (in its own context)."""
        part, path, result = self.parts[i], [], False
        node: etree._Element | None = el
        while node is not None:
            key = (id(self), i, node)
            hit = memo.get(key)
            if hit is not None:
                result = hit
                break
            path.append(key)
            if part.matches(node) and self._up(node, i - 1, memo):
                result = True
                break
            node = node.getparent()
        for key in path:  # every node on the way up shares the answer
            memo[key] = result
        return result


def parse(selector: str) -> Selector | None:
    """A Selector for the supported subset, or None (use lxml for that one)."""
    tokens = re.sub(r"\s*>\s*", " > ", selector.strip()).split()
    parts: list[Compound] = []
    combinators: list[str] = []
    pending = " "
    for token in tokens:
        if token == ">":
            pending = ">"
            continue
        match = _COMPOUND.match(token)
        if not match or not token:
            return None
        tag = match.group("tag")
        ident, classes, attrs = None, set(), []
        for piece in _PIECE.finditer(match.group("rest") or ""):
            if piece.group("id"):
                ident = piece.group("id")
            elif piece.group("cls"):
                classes.add(piece.group("cls"))
            else:
                value = (piece.group("val") or "").strip("'\"")
                attrs.append((piece.group("attr"), piece.group("op") or "", value))
        if attrs and any(op == "" for _, op, _ in attrs):
            attrs = [(n, op or "*=", v) for n, op, v in attrs]  # [attr]: presence
        if parts:
            combinators.append(pending)
        parts.append(Compound(None if tag in (None, "*") else tag.lower(), ident,
                              frozenset(classes), tuple(attrs)))
        pending = " "
    return Selector(tuple(parts), tuple(combinators)) if parts else None


class Index:
    """Named groups of selectors, matched in one pass: `scan(root)[group][i]` lists the elements
    matching selector i of the group, in document order.

    Each distinct compound (`.jeg_meta_category`, `a`, `header.td-post-title`) is indexed by one
    key (its id, else a class, else its tag, else an attribute name) and tested only on elements
    carrying that key; a compound that is its key alone (one class, one id or one tag) needs no
    test. Descendant chains (`A B C`) are matched top-down as the pass goes in document order:
    an element matching part i of a selector, with a valid chain for parts 0..i-1 above it, opens
    that part for its subtree (a count, closed at the first element after the subtree), so an
    element matching the last part matches the selector if the part before it is open: no walk
    up the ancestors. Selectors with a child combinator (">") are checked by walking up.
    """

    def __init__(self, groups: Mapping[str, Sequence[str]]):
        self.groups = {name: len(sels) for name, sels in groups.items()}
        self.fallback: list[tuple[str, int, CSSSelector]] = []
        self.slots: list[tuple[str, int]] = []  # bucket → (group, selector index)
        compounds: dict[Compound, int] = {}
        # per compound id: what its match does
        last: list[list[tuple[int, int]]] = []  # (bucket, open slot needed or -1)
        opens: list[list[tuple[int, int]]] = []  # (open slot to count, open slot needed or -1)
        walks: list[list[tuple[int, Selector]]] = []  # (bucket, selector with ">")
        self.open_slots = 0

        def compound(part: Compound) -> int:
            if part not in compounds:
                compounds[part] = len(compounds)
                last.append([])
                opens.append([])
                walks.append([])
            return compounds[part]

        for name, selectors in groups.items():
            for i, text in enumerate(selectors):
                sel = parse(text)
                if sel is None:
                    self.fallback.append((name, i, CSSSelector(text)))
                    continue
                bucket = len(self.slots)
                self.slots.append((name, i))
                if ">" in sel.combinators:
                    walks[compound(sel.parts[-1])].append((bucket, sel))
                    continue
                need = -1
                for part in sel.parts[:-1]:
                    slot = self.open_slots
                    self.open_slots += 1
                    opens[compound(part)].append((slot, need))
                    need = slot
                last[compound(sel.parts[-1])].append((bucket, need))
        self.compounds = list(compounds)
        self.last = [tuple(x) for x in last]
        self.opens = [tuple(x) for x in opens]
        self.walks = [tuple(x) for x in walks]
        # key → ((compound id, needs a test), ...)
        self.by_id: dict[str, tuple[tuple[int, bool], ...]] = {}
        self.by_class: dict[str, tuple[tuple[int, bool], ...]] = {}
        self.by_tag: dict[str, tuple[tuple[int, bool], ...]] = {}
        self.by_attr: dict[str, tuple[tuple[int, bool], ...]] = {}
        self.anywhere: tuple[tuple[int, bool], ...] = ()
        for part, c in compounds.items():
            keyed_only = not part.attrs and (part.tag is not None) + (part.id is not None) \
                + len(part.classes) == 1
            entry = ((c, not keyed_only),)
            if part.id:
                self.by_id[part.id] = self.by_id.get(part.id, ()) + entry
            elif part.classes:
                key = min(part.classes)
                self.by_class[key] = self.by_class.get(key, ()) + entry
            elif part.tag:
                self.by_tag[part.tag] = self.by_tag.get(part.tag, ()) + entry
            elif part.attrs:
                key = part.attrs[0][0]
                self.by_attr[key] = self.by_attr.get(key, ()) + entry
            else:
                self.anywhere += ((c, True),)

    def _matched(self, el: etree._Element) -> list[int]:
        """Ids of the compounds `el` matches (a compound may repeat: a repeated class)."""
        compounds = self.compounds
        out = [c for c, _test in self.anywhere if compounds[c].matches(el)]
        hits = self.by_tag.get(el.tag)
        if hits:
            out += [c for c, test in hits if not test or compounds[c].matches(el)]
        by_id, by_class, by_attr = self.by_id, self.by_class, self.by_attr
        for name, value in el.items():
            if name == "class":
                for token in value.split():
                    hits = by_class.get(token)
                    if hits:
                        out += [c for c, test in hits if not test or compounds[c].matches(el)]
            elif name == "id" and value:
                hits = by_id.get(value)
                if hits:
                    out += [c for c, test in hits if not test or compounds[c].matches(el)]
            hits = by_attr.get(name)
            if hits:
                out += [c for c, _test in hits if compounds[c].matches(el)]
        return out

    def scan(self, root: etree._Element) -> dict[str, list[list[etree._Element]]]:
        buckets: list[list[etree._Element]] = [[] for _ in self.slots]
        count = [0] * self.open_slots  # open ancestors per (selector, part)
        ends: dict[etree._Element, list[int]] = {}  # first element after a subtree → its slots
        last, opens, walks, matched = self.last, self.opens, self.walks, self._matched
        compounds, anywhere, by_tag, by_id, by_class, by_attr = \
            self.compounds, self.anywhere, self.by_tag, self.by_id, self.by_class, self.by_attr
        memo: dict = {}
        # Ancestors of `root` (when it is not the document's root) count as its context.
        for el in reversed(list(root.iterancestors())):
            for c in matched(el):
                for slot, need in opens[c]:
                    if need < 0 or count[need]:
                        count[slot] += 1
        for el in root.iter(etree.Element):
            if ends:
                closed = ends.pop(el, None)
                if closed:
                    for slot in closed:
                        count[slot] -= 1
            # the compounds `el` matches (inline `_matched`: this loop runs for every element;
            # plain loops, not comprehensions, which cost a function call each in Python 3.11)
            found = [c for c, _test in anywhere if compounds[c].matches(el)] if anywhere else []
            hits = by_tag.get(el.tag)
            if hits:
                for c, test in hits:
                    if not test or compounds[c].matches(el):
                        found.append(c)
            for name, value in el.items():
                if name == "class":
                    for token in value.split():
                        hits = by_class.get(token)
                        if hits:
                            for c, test in hits:
                                if not test or compounds[c].matches(el):
                                    found.append(c)
                elif name == "id":
                    hits = by_id.get(value)
                    if hits:
                        for c, test in hits:
                            if not test or compounds[c].matches(el):
                                found.append(c)
                hits = by_attr.get(name)
                if hits:
                    for c, _test in hits:
                        if compounds[c].matches(el):
                            found.append(c)
            if not found:
                continue
            opened: list[int] = []
            for c in found:
                for bucket, need in last[c]:
                    if need < 0 or count[need]:
                        hits_ = buckets[bucket]
                        if not hits_ or hits_[-1] is not el:
                            hits_.append(el)
                for bucket, sel in walks[c]:
                    if sel.matches(el, memo):
                        hits_ = buckets[bucket]
                        if not hits_ or hits_[-1] is not el:
                            hits_.append(el)
                for slot, need in opens[c]:
                    if need < 0 or count[need]:
                        opened.append(slot)
            if opened:  # for the subtree only: counted after `el` itself was matched
                for slot in opened:
                    count[slot] += 1
                after = _after(el)
                if after is not None:
                    ends.setdefault(after, []).extend(opened)
        found_groups = {name: [[] for _ in range(n)] for name, n in self.groups.items()}
        for (name, i), hits_ in zip(self.slots, buckets, strict=True):
            found_groups[name][i] = hits_
        for name, i, css in self.fallback:
            found_groups[name][i] = css(root)
        return found_groups


def _after(el: etree._Element) -> etree._Element | None:
    """The first element after `el`'s subtree in document order (comments skipped), or None."""
    node: etree._Element | None = el
    while node is not None:
        nxt = node.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is not None:
            return nxt
        node = node.getparent()
    return None
