"""Which theme module fits a page, recognised from the page itself.

Two kinds of evidence, strongest first: the theme's own markers (body classes, asset paths under
/wp-content/themes/, generator meta: `crawler.extract.detect`, the one place they are read, the
same the crawl uses), then, for a theme with no public markers (an outlet's own CMS), whether its
selectors find a body and a headline on the page. A page no theme fits is `generic`.
"""
from __future__ import annotations

from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.config.outlets import ExtractRules
from crawler.extract.detect import detect_theme as by_markers
from crawler.extract.meta import read_meta
from crawler.extract.themes import THEMES, compile_rules, get_theme


def theme_names() -> list[str]:
    return [n for n in THEMES if n != "generic"]


def _fits(name: str, root: etree._Element) -> bool:
    """The theme's body container is there, and its headline or several of its clutter
    selectors (a page variant may hide the headline, as a full-width hero does)."""
    scan = compile_rules(ExtractRules(theme=name)).scan(root)
    if not scan.all("body"):
        return False
    if scan.all("title"):
        return True
    own = [CSSSelector(sel) for sel in get_theme(name).drop]  # not the shared script/form list
    return sum(bool(sel(root)) for sel in own) >= 3


def _has_markers(name: str) -> bool:
    t = get_theme(name)
    return bool(t.body_markers or t.asset_markers or t.generator_markers)


def detect_theme(root: etree._Element | None) -> tuple[str, str]:
    """(theme name, the evidence in a few words)."""
    if root is None:
        return "generic", "not an HTML page"
    name = by_markers(read_meta(root))
    if name:
        return name, "its own markers (body classes, theme assets or generator)"
    for name in theme_names():
        if not _has_markers(name) and _fits(name, root):
            return name, "its body and headline or clutter selectors match"
    return "generic", "no theme's markers or selectors"
