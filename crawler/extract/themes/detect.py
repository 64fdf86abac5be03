"""Which theme module fits a page, recognised from the page itself.

Two kinds of evidence, strongest first: the theme's own markers (its asset path under
/wp-content/themes/, its generator meta, class prefixes only it prints), then whether the theme's
selectors find a body and a headline on the page. A page no theme fits is `generic`.
"""
from __future__ import annotations

import re
import typing

from lxml import etree

from crawler.config.outlets import ExtractRules
from crawler.extract.themes import compile_rules

# Public themes' own fingerprints: their directory names and class prefixes (theme behaviour,
# the same on every site that runs the theme).
MARKERS: dict[str, tuple[str, ...]] = {
    "jnews": (r"/wp-content/themes/jnews", r'class="[^"]*\bjeg_', r"\bjnews_"),
    "tagdiv": (r"/wp-content/themes/Newspaper", r'class="[^"]*\btd-post-content',
               r'class="[^"]*\btdb_'),
}


def theme_names() -> list[str]:
    return [n for n in typing.get_args(ExtractRules.model_fields["theme"].annotation)
            if n != "generic"]


def _fits(name: str, root: etree._Element) -> bool:
    scan = compile_rules(ExtractRules(theme=name)).scan(root)
    return bool(scan.all("body")) and bool(scan.all("title"))


def detect_theme(html: str, root: etree._Element | None) -> tuple[str, str]:
    """(theme name, the evidence in a few words)."""
    head = html[:200_000]
    for name, markers in MARKERS.items():
        hits = [m for m in markers if re.search(m, head)]
        if len(hits) >= 2 or (hits and root is not None and _fits(name, root)):
            return name, f"markers {', '.join(h.split('/')[-1].strip(chr(92)) for h in hits)}"
    if root is not None:
        for name in theme_names():
            if name not in MARKERS and _fits(name, root):
                return name, "its body and title selectors match"
    return "generic", "no theme's markers or selectors"
