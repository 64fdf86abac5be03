"""trafilatura's raw-tree prunes, evaluated with the same result at a fraction of the cost.

trafilatura (2.3.1) first prunes the page of infinite-scroll containers, share buttons and
comment sections, with XPaths shaped `.//*[self::div or …][re:test(@id, …) or re:test(@class,
…)]…`. lxml runs each `re:test` as a Python callback, for every div, section and list of the
page: on the mirror these four expressions were ~1.3 ms of the ~3.4 ms the theme check's
trafilatura pass costs a page. Every element they select has an id or a class holding a fixed
string their regular expressions require ("omment" for `^[Cc]omment(?!ary)`, "infinite" for
`infinite-?scroll`, …). So each is evaluated as: the elements with such an id or class (one
XPath over the attributes, in C), then the expression's own predicates on those few only
(`self::*[…]`, none is positional). The same elements in the same (document) order.

Only the expressions whose text is exactly the one below are narrowed (another trafilatura
version runs its own unchanged), and only around rasad's own calls (`narrowed()`): a plain
trafilatura call in the same process (the benches' baseline) keeps trafilatura's evaluation.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lxml import etree

_REGEXP_NS = "http://exslt.org/regular-expressions"
_COMMENT_IDS = ("omment", "comol", "disqus_thread", "dsq-comments")

# (trafilatura.xpaths list, index, its text with whitespace collapsed, strings of which an id,
# resp. a class, must hold one for the element to be selected)
_NARROWED = (
    ("RAW_TREE_PRUNE_XPATH", 0,
     ".//*[self::div or self::section or self::aside][ re:test(@id, "
     "'mvp-post-add-(?:box|wrap)|infinite-?scroll') or re:test(@class, "
     "'mvp-post-add-(?:box|wrap)|infinite-?scroll')][ not(.//h1) or re:test(@id, "
     "'mvp-post-add-(?:box|wrap)') or re:test(@class, 'mvp-post-add-(?:box|wrap)')]",
     ("mvp-post-add-", "infinite"), ("mvp-post-add-", "infinite")),
    ("RAW_TREE_PRUNE_XPATH", 1,
     ".//*[self::div or self::section or self::aside][contains(@class, "
     "'elementor-share-buttons')]",
     (), ("elementor-share-buttons",)),
    ("REMOVE_COMMENTS_AND_LISTS_XPATH", 0,
     ".//*[self::div or self::list or self::section or self::details or self::ol or self::ul][ "
     "re:test(@id, '^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or "
     "re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')][ not(self::ol or "
     "self::ul) or re:test(@id, '^(?:[Cc]omment(?!ary)|comol)') or re:test(@class, "
     "'^[Cc]omment(?!ary)|(?:article|post)-comments')]",
     _COMMENT_IDS, ("omment",)),
    ("REMOVE_COMMENTS_XPATH", 0,
     ".//*[self::div or self::list or self::section or self::details][ re:test(@id, "
     "'^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or re:test(@class, "
     "'^[Cc]omment(?!ary)|(?:article|post)-comments')]",
     _COMMENT_IDS, ("omment",)),
)


class Narrowed:
    """`.//*[…]` evaluated on the elements whose id or class holds one of the given strings."""

    def __init__(self, path: str, ids: tuple[str, ...], classes: tuple[str, ...]) -> None:
        self.path = path
        text = " ".join(path.split())
        if not text.startswith(".//*[") or "position()" in text or "last()" in text:
            raise ValueError(f"not a `.//*[…]` selection without positions: {text[:60]}")
        parts = [f"descendant::*/@{attr}[{' or '.join(f'contains(., {v!r})' for v in values)}]/.."
                 for attr, values in (("id", ids), ("class", classes)) if values]
        self.candidates = etree.XPath(" | ".join(parts))
        self.check = etree.XPath("self::*" + text[len(".//*"):],
                                 namespaces={"re": _REGEXP_NS})

    def __call__(self, tree: etree._Element) -> list[etree._Element]:
        check = self.check
        return [el for el in self.candidates(tree) if check(el)]


def _swaps() -> list[tuple[list[Any], int, Any, Narrowed]]:
    from trafilatura import xpaths

    out = []
    for name, index, text, ids, classes in _NARROWED:
        expressions = getattr(xpaths, name, None)
        if not isinstance(expressions, list) or len(expressions) <= index:
            continue
        original = expressions[index]
        if " ".join(getattr(original, "path", "").split()) == text:
            out.append((expressions, index, original, Narrowed(original.path, ids, classes)))
    return out


_swap_list: list[tuple[list[Any], int, Any, Narrowed]] | None = None


def active() -> int:
    """How many of trafilatura's expressions are narrowed (4 with trafilatura 2.3.1)."""
    global _swap_list
    if _swap_list is None:
        _swap_list = _swaps()
    return len(_swap_list)


@contextmanager
def narrowed() -> Iterator[None]:
    """trafilatura's prunes narrowed for the duration. Threads extracting at once could see
    either form for a while (one restoring before another is done): both select the same."""
    active()
    assert _swap_list is not None
    for expressions, index, _original, fast in _swap_list:
        expressions[index] = fast
    try:
        yield
    finally:
        for expressions, index, original, _fast in _swap_list:
            expressions[index] = original
