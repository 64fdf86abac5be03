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
    matching selector i of the group, in document order."""

    def __init__(self, groups: Mapping[str, Sequence[str]]):
        self.groups = {name: len(sels) for name, sels in groups.items()}
        self.by_id: dict[str, list[tuple[str, int, Selector]]] = {}
        self.by_class: dict[str, list[tuple[str, int, Selector]]] = {}
        self.by_tag: dict[str, list[tuple[str, int, Selector]]] = {}
        self.by_attr: dict[str, list[tuple[str, int, Selector]]] = {}
        self.anywhere: list[tuple[str, int, Selector]] = []
        self.fallback: list[tuple[str, int, CSSSelector]] = []
        for name, selectors in groups.items():
            for i, text in enumerate(selectors):
                sel = parse(text)
                if sel is None:
                    self.fallback.append((name, i, CSSSelector(text)))
                    continue
                last = sel.parts[-1]
                entry = (name, i, sel)
                if last.id:
                    self.by_id.setdefault(last.id, []).append(entry)
                elif last.classes:
                    self.by_class.setdefault(min(last.classes), []).append(entry)
                elif last.tag:
                    self.by_tag.setdefault(last.tag, []).append(entry)
                elif last.attrs:
                    self.by_attr.setdefault(last.attrs[0][0], []).append(entry)
                else:
                    self.anywhere.append(entry)

    def scan(self, root: etree._Element) -> dict[str, list[list[etree._Element]]]:
        found = {name: [[] for _ in range(n)] for name, n in self.groups.items()}
        memo: dict = {}
        by_id, by_class, by_tag, by_attr = self.by_id, self.by_class, self.by_tag, self.by_attr
        for el in root.iter(etree.Element):
            candidates: list[tuple[str, int, Selector]] = list(self.anywhere)
            hits = by_tag.get(el.tag)
            if hits:
                candidates += hits
            attrs = el.attrib
            if attrs:
                ident = attrs.get("id")
                if ident and ident in by_id:
                    candidates += by_id[ident]
                cls = attrs.get("class")
                if cls:
                    for token in cls.split():
                        hits = by_class.get(token)
                        if hits:
                            candidates += hits
                if by_attr:
                    for name in attrs:
                        hits = by_attr.get(name)
                        if hits:
                            candidates += hits
            if not candidates:
                continue
            for name, i, sel in candidates:
                if sel.matches(el, memo):
                    bucket = found[name][i]
                    if not bucket or bucket[-1] is not el:
                        bucket.append(el)
        for name, i, css in self.fallback:
            found[name][i] = css(root)
        return found
