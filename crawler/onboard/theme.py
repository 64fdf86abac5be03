"""Which theme module fits a page, recognised from the page itself.

Two kinds of evidence, strongest first: the theme's own markers (its asset path under
/wp-content/themes/, class prefixes only it prints), then whether the theme's
selectors find a body and a headline on the page. A page no theme fits is `generic`.

The one place onboarding asks "which theme?": issue 10 adds page-based detection to extraction
itself (markers kept on each Theme); once that is on main, MARKERS gives way to it here.
"""
from __future__ import annotations

import re

from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.config.outlets import ExtractRules
from crawler.extract.themes import THEMES, compile_rules, get_theme

# Public themes' own fingerprints (theme behaviour, the same on every site that runs the theme):
# (regex over the page's first 200 kB, what it shows).
MARKERS: dict[str, tuple[tuple[str, str], ...]] = {
    "jnews": ((r"/wp-content/themes/jnews", "assets under /themes/jnews/"),
              (r'class="[^"]*\bjeg_', "jeg_ classes"), (r"\bjnews_", "jnews_ blocks")),
    "tagdiv": ((r"/wp-content/themes/Newspaper", "assets under /themes/Newspaper/"),
               (r'class="[^"]*\btd-post-content', "td-post-content"),
               (r'class="[^"]*\btdb_', "tdb_ blocks")),
}


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


def detect_theme(html: str, root: etree._Element | None) -> tuple[str, str]:
    """(theme name, the evidence in a few words)."""
    head = html[:200_000]
    for name, markers in MARKERS.items():
        hits = [label for regex, label in markers if re.search(regex, head)]
        if len(hits) >= 2 or (hits and root is not None and _fits(name, root)):
            return name, ", ".join(hits)
    if root is not None:
        for name in theme_names():
            if name not in MARKERS and _fits(name, root):
                return name, "its body and headline or clutter selectors match"
    return "generic", "no theme's markers or selectors"
