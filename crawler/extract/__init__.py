"""Extraction: response bytes + URL + outlet rules → Article, or None with a reason code.

    guard → decode → parse once → theme body (trafilatura for sites without rules) → clean-up
    → title, caption, dates, language → Article

Pure functions: no Scrapy, no I/O, never raise on junk input. The reason code of
`extract_detailed` is counted by the spider as `rasad/extract/<reason>`:
ok, empty, binary, not_html, truncated, not_article, no_body, too_short, no_title, error.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from crawler.config.outlets import ExtractRules
from crawler.extract.build import generic, themed
from crawler.extract.check import Drift
from crawler.extract.decode import decode_html
from crawler.extract.detect import contradicts, detect_theme
from crawler.extract.fallback import huge
from crawler.extract.flags import date_flags
from crawler.extract.flatten import cap_text, deeper_than_cap, flatten, shorten_tags, too_deep
from crawler.extract.guard import check_bytes
from crawler.extract.meta import read_meta
from crawler.extract.themes import compile_rules
from storage.record import Article

__all__ = ["REASONS", "Drift", "Extraction", "date_flags", "extract_article", "extract_detailed",
           "extract_page"]

log = logging.getLogger(__name__)

REASONS = ("ok", "empty", "binary", "not_html", "truncated", "not_article", "no_body",
           "too_short", "no_title", "error")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# NUL and other C0 controls make libxml2 stop early; they are never text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Extraction(NamedTuple):
    """What one page gave: the article (or None), the reason code, the theme used, the
    drift found when the theme's rules were checked against the generic pass (or None), and
    whether the page was too big or too deeply nested for trafilatura within a page's time
    budget and got the bounded paragraph reading instead (counted as `rasad/pages/bounded`)."""

    article: Article | None
    reason: str
    theme: str = "generic"
    drift: Drift | None = None
    bounded: bool = False


def extract_article(data: bytes, url: str, headers: Mapping[str, str] | None = None,
                    rules: ExtractRules | None = None, outlet: str = "",
                    first_seen: str | None = None) -> Article | None:
    """The article on a page, or None (see `extract_detailed` for why)."""
    return extract_page(data, url, headers, rules, outlet, first_seen).article


def extract_detailed(data: bytes, url: str, headers: Mapping[str, str] | None = None,
                     rules: ExtractRules | None = None, outlet: str = "",
                     first_seen: str | None = None) -> tuple[Article | None, str]:
    """(Article, "ok") or (None, reason); `rules` None means a site without rules (trafilatura
    with safe clean-ups), `first_seen` (ISO) enables the "long_after_first_seen" date flag."""
    result = extract_page(data, url, headers, rules, outlet, first_seen)
    return result.article, result.reason


def extract_page(data: bytes, url: str, headers: Mapping[str, str] | None = None,
                 rules: ExtractRules | None = None, outlet: str = "",
                 first_seen: str | None = None) -> Extraction:
    """`extract_detailed` plus the theme used and the drift of the outlet's rules, if any.
    Without a configured theme (`rules` None or `rules.theme` unset) the page's own theme
    markers choose one; a configured theme the page does not carry is drift."""
    try:
        if isinstance(data, str):  # tolerated: a caller holding text already
            data = data.encode("utf-8")
        reason = check_bytes(data, headers)
        if reason:
            return Extraction(None, reason)
        html = decode_html(data, headers)
        root = parse_html(html)
        if root is None:
            return Extraction(None, "not_html")
        meta = read_meta(root)
        configured = rules.theme if rules is not None else None
        comp = compile_rules(rules, None if configured else detect_theme(meta))
        bounded = False
        if comp.name == "generic":
            bounded = huge(root)
            article, reason, drift = generic(root, meta, url, comp, outlet, first_seen, bounded)
        else:
            article, reason, drift = themed(root, meta, url, comp, outlet, first_seen)
        if drift is None and configured and contradicts(meta, comp.theme):
            drift = Drift("theme", comp.name, f"theme = {configured!r}", url)
        return Extraction(article, reason, comp.name, drift, bounded)
    except Exception:  # junk input must never take the crawl down; the reason is counted
        log.debug("extraction failed for %s", url, exc_info=True)
        return Extraction(None, "error")


def parse_html(html: str | bytes, headers: Mapping[str, str] | None = None) \
        -> etree._Element | None:
    """Parse once (decoding bytes first); the tree is shared by every later step, never copied."""
    text = decode_html(html, headers) if isinstance(html, bytes) else html
    text = _XML_DECL.sub("", text, count=1)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = shorten_tags(text)
    try:
        parser = _parser()
        root = etree.fromstring(text, parser)
        if too_deep(parser.error_log) or root is not None and deeper_than_cap(root):
            root = etree.fromstring(flatten(text), _parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not len(root):
        return None
    if len(text) > 200_000:  # only a big page can hold a text node worth cutting
        cap_text(root)
    return root


def _parser() -> etree.HTMLParser:
    # lxml.html's elements (HtmlElement), because trafilatura takes only those: the page is
    # parsed once and both the theme rules and the generic pass read that one tree. Every
    # element is an HtmlElement, chosen in C: lxml.html's own parser calls a Python `lookup`
    # for each element proxy made (~1,600 a page, in our walks and trafilatura's) only to give
    # <form>, <input>, <select>, <textarea> and <label> subclasses whose form helpers nothing
    # here uses (measured: ~0.5 ms of a worker's ~8.7 ms per mirror page).
    # huge_tree: libxml2 otherwise drops everything below 256 levels and text nodes over 10 MB.
    # A parser per page: its error log tells whether it hit the depth limit.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                              collect_ids=False, huge_tree=True)
    parser.set_element_class_lookup(_LOOKUP)
    return parser


_LOOKUP = etree.ElementDefaultClassLookup(element=HtmlElement, comment=HtmlComment,
                                          pi=HtmlProcessingInstruction, entity=HtmlEntity)
