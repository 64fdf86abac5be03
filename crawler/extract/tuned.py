"""trafilatura's costliest steps for rasad's check pass, done with the same result for less.

1. Its raw-tree prunes. trafilatura (2.3.1) first prunes the page of infinite-scroll containers,
   share buttons and comment sections, with XPaths shaped `.//*[self::div or …][re:test(@id, …)
   or re:test(@class, …)]…`. lxml runs each `re:test` as a Python callback, for every div,
   section and list of the page: on the mirror these four expressions were ~1.3 ms of the ~3.4
   ms the theme check's trafilatura pass costs a page. Every element they select has an id or a
   class holding a fixed string their regular expressions require ("omment" for
   `^[Cc]omment(?!ary)`, "infinite" for `infinite-?scroll`, …). So each is evaluated as: the
   elements with such an id or class (one XPath over the attributes, in C), then the
   expression's own predicates on those few only (`self::*[…]`, none is positional). The same
   elements in the same (document) order. Its first body-container expression likewise
   (`[1]`: the first selected child of each parent, ~0.4 ms a page; ~0.1 ms saved: "post",
   "content" and "article" are in many class names).
2. Its tree copies. `bare_extraction` copies the tree it is given (ours stays intact), then
   `_prepare_tree` cleans a second copy and keeps a third, the cleaned tree before its tags are
   converted. In fast mode favouring precision without comments (the check's first pass) neither
   the raw copy nor that backup is read again (no comparison with readability/justext, no
   baseline rescue, no recall retry, no comment pass): the raw copy is cleaned in place, no
   backup kept. The same cleaned and converted tree.

Only expressions and functions whose text is exactly the one expected are replaced (another
trafilatura version runs its own code unchanged), and only around rasad's own calls
(`narrowed()`): a plain trafilatura call in the same process (the benches' baseline) keeps
trafilatura's own steps.
"""
from __future__ import annotations

import hashlib
import inspect
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
    # The first content container of each parent (`[1]`), the one trafilatura reads first.
    ("BODY_XPATH", 0,
     ".//*[self::article or self::div or self::main or self::section][ @class='post' or "
     "@class='entry' or @itemprop='articleBody' or @id='articleContent' or re:test(@id, "
     "'(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|"
     "body-text') or re:test(@class, 'post[-_]text|post-body|post-?entry|post[-_]?content|"
     "postContent|post_inner_wrapper|article-?text|articleText|(?:entry|page|text|article|art)"
     "-content|article__content|article(?:-|__)?body|articleBody|ArticleContent|body-text|"
     "article__container') ][1]",
     ("content", "Content", "body", "Body"),
     ("post", "entry", "article", "content", "Content", "body"), ("itemprop", "articleBody")),
)


class Narrowed:
    """`.//*[…]` evaluated on the elements whose id or class holds one of the given strings
    (or whose `exact` attribute has that value); `.//*[…][1]`, the first such child of each
    parent, likewise."""

    def __init__(self, path: str, ids: tuple[str, ...], classes: tuple[str, ...],
                 exact: tuple[str, str] | None = None) -> None:
        self.path = path
        text = " ".join(path.split())
        self.first = text.endswith("][1]")
        if self.first:
            text = text[:-len("[1]")]
        if not text.startswith(".//*[") or "position()" in text or "last()" in text \
                or "[1]" in text:
            raise ValueError(f"not a `.//*[…]` selection without positions: {text[:60]}")
        parts = [f"descendant::*/@{attr}[{' or '.join(f'contains(., {v!r})' for v in values)}]/.."
                 for attr, values in (("id", ids), ("class", classes)) if values]
        if exact:
            parts.append(f"descendant::*/@{exact[0]}[. = {exact[1]!r}]/..")
        self.candidates = etree.XPath(" | ".join(parts))
        self.check = etree.XPath("self::*" + text[len(".//*"):],
                                 namespaces={"re": _REGEXP_NS})

    def __call__(self, tree: etree._Element) -> list[etree._Element]:
        check = self.check
        found = [el for el in self.candidates(tree) if check(el)]
        if not self.first:
            return found
        # Siblings come in document order: the first found under a parent is its first child
        # that the predicates select (all such children are candidates).
        parents: set[etree._Element] = set()
        out = []
        for el in found:
            parent = el.getparent()
            if parent not in parents:
                parents.add(parent)
                out.append(el)
        return out


def _swaps() -> list[tuple[Any, Any, Any, Any]]:
    """(container, key, trafilatura's own, the replacement) for everything that can be
    replaced with this trafilatura."""
    from trafilatura import core, xpaths

    out: list[tuple[Any, Any, Any, Any]] = []
    for name, index, text, ids, classes, *exact in _NARROWED:
        expressions = getattr(xpaths, name, None)
        if not isinstance(expressions, list) or len(expressions) <= index:
            continue
        original = expressions[index]
        if " ".join(getattr(original, "path", "").split()) == text:
            out.append((expressions, index, original,
                        Narrowed(original.path, ids, classes, *exact)))
    if all(_source_hash(getattr(core, name, None)) == digest
           for name, digest in _SEQUENCE.items()):
        out.append((vars(core), "_prepare_tree", core._prepare_tree,
                    _prepare_tree(core._prepare_tree, core.tree_cleaning, core.convert_tags)))
    return out


# What the copy-less `_prepare_tree` relies on: trafilatura 2.3.1's text of these functions
# (sha256 of their source, first 16 hex digits).
_SEQUENCE = {"_prepare_tree": "9595f0642825c2c7", "trafilatura_sequence": "f03dc4d2946dacbd",
             "_extract_and_compare": "f7d056c2118222e8"}


def _source_hash(function: Any) -> str:
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
    except (TypeError, OSError):
        return ""


def _prepare_tree(original: Any, tree_cleaning: Any, convert_tags: Any) -> Any:
    def prepare(tree: Any, options: Any, url: str | None) -> tuple[Any, Any]:
        if options.fast and options.focus == "precision" and not options.comments:
            # trafilatura's own copy of the page, read by nothing after this (see above)
            return convert_tags(tree_cleaning(tree, options), options, url), None
        return original(tree, options, url)
    return prepare


_swap_list: list[tuple[Any, Any, Any, Any]] | None = None


def active() -> int:
    """How many of trafilatura's steps are replaced (6 with trafilatura 2.3.1)."""
    global _swap_list
    if _swap_list is None:
        _swap_list = _swaps()
    return len(_swap_list)


@contextmanager
def narrowed() -> Iterator[None]:
    """trafilatura's steps replaced for the duration. Threads extracting at once could see
    either form for a while (one restoring before another is done): both give the same."""
    active()
    assert _swap_list is not None
    for container, key, _original, fast in _swap_list:
        container[key] = fast
    try:
        yield
    finally:
        for container, key, original, _fast in _swap_list:
            container[key] = original
