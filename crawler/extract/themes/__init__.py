"""Theme knowledge: where a CMS theme puts the body, title, date, caption, and its clutter.

A theme is data (selectors and well-known theme strings) plus an optional hook for what needs
code. Outlet rules from config (`ExtractRules`) are merged on top of the theme at lookup time;
the merged, compiled form is cached because the same few outlets are extracted thousands of times.
"""
from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml import etree

from crawler.config.themes import THEMES
from crawler.extract.select import Index
from crawler.extract.text import line_key

if TYPE_CHECKING:
    from crawler.config.outlets import ExtractRules

# The theme registry (THEMES, crawler/config/themes.py): `extract.theme` names in the outlets
# file → the module here holding its THEME.

# Ad and share widgets of popular WordPress plugins, safe to drop inside any known body container.
COMMON_DROP = (
    "script", "style", "noscript", "form", "ins.adsbygoogle", "[id^='div-gpt-ad']",
    ".sharedaddy", ".addtoany_share_save_container", ".a2a_kit", ".heateor_sss_sharing_container",
    ".jp-relatedposts", ".yarpp-related", ".crp_related", ".code-block", ".wp-block-buttons",
    ".screen-reader-text", ".sr-only", "[aria-hidden='true']", "[hidden]",
    "[style*='display:none']", "[style*='display: none']",
    # author-box plugins that print inside the content
    ".m-a-box", ".molongui-author-box", ".saboxplugin-wrap", ".pp-multiple-authors-boxes-wrapper",
    ".abh_box",
)
# Lines that are theme furniture wherever they appear (compared with `line_key`).
COMMON_DROP_TEXT = (
    "Advertisement", "Advertisment", "- Advertisment -", "- Advertisement -", "إعلان",
    "Share", "Tweet", "Share on Facebook", "Share on Twitter", "Share on WhatsApp",
    "Read more", "Read More", "اقرأ المزيد", "اقرأ أيضا", "اقرأ أيضاً", "Print", "طباعة",
)


# Inline "read also" teasers: a prefix and a linked headline, never article text.
COMMON_DROP_LINE_RE = (
    r"^(?:اقرأ|إقرأ|طالع|شاهد|اقرا)\s+(?:أيضا|أيضاً|ايضا|ايضاً|المزيد)\s*[:：\-–]?\s*\S.{0,150}$",
    r"^(?:Read also|Read more|See also)\s*[:\-–]\s*\S.{0,150}$",
)


@dataclass(frozen=True)
class Theme:
    name: str
    body: tuple[str, ...] = ()  # body container, first selector that matches wins
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()  # the article's own date element(s), nearest after the title
    clock: tuple[str, ...] = ()  # header clocks showing today: never a date source
    caption: tuple[str, ...] = ()  # photo captions (first one kept, in its own field)
    section: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()  # clutter elements inside or around the body
    drop_text: tuple[str, ...] = ()  # whole lines that are theme strings
    drop_line_re: tuple[str, ...] = ()  # line patterns: counters, "Reading Time: 2 mins read"
    stop_text: tuple[str, ...] = ()  # a line that starts the after-article furniture
    # Optional code for what selectors cannot say: (body element, lines) → lines.
    hook: Callable[[etree._Element, list[str]], list[str]] | None = None
    not_article: tuple[str, ...] = ()  # selectors present only on listings/pages, not posts
    # How a page says it uses this theme (any one is enough): a <body> class, a path of its
    # assets (wp-content/themes/<name>/), words of <meta name=generator>. A theme without
    # markers (citadel: an own CMS we have not seen) is never detected nor contradicted.
    body_markers: tuple[str, ...] = ()
    asset_markers: tuple[str, ...] = ()
    generator_markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compiled:
    """A theme merged with outlet rules; every selector group indexed for one-pass matching."""

    theme: Theme
    index: Index
    groups: dict[str, tuple[str, ...]]
    drop_keys: frozenset[str]
    stop_keys: frozenset[str]
    drop_re: re.Pattern[str] | None

    @property
    def name(self) -> str:
        return self.theme.name

    def scan(self, root: etree._Element) -> Scan:
        return Scan(self.index.scan(root))


class Scan:
    """Matches of one page: `first(group)` etc. keep the selector order of preference."""

    def __init__(self, found: dict[str, list[list[etree._Element]]]):
        self.found = found

    def ranked(self, group: str) -> list[list[etree._Element]]:
        """Per selector, in order of preference, the matching elements in document order."""
        return self.found.get(group, [])

    def all(self, group: str) -> list[etree._Element]:
        seen: dict[etree._Element, None] = {}
        for matches in self.ranked(group):
            seen.update(dict.fromkeys(matches))
        return list(seen)


def all_themes() -> dict[str, Theme]:
    """The theme registry as name → Theme."""
    return {name: get_theme(name) for name in THEMES}


def get_theme(name: str) -> Theme:
    if name not in THEMES:  # the config has rejected it already; a caller's typo must not pass
        raise KeyError(f"unknown theme {name!r} (themes: {', '.join(THEMES)})")
    return importlib.import_module(f"{__name__}.{name}").THEME


@lru_cache(maxsize=64)
def _compiled(name: str, body: tuple, drop: tuple, drop_text: tuple, date: tuple, title: tuple,
              caption: tuple, section: tuple) -> Compiled:
    theme = get_theme(name)
    generic = theme.name == "generic"
    drop_all = (*drop, *theme.drop, *(() if generic and not drop else COMMON_DROP))
    keys = {line_key(t) for t in (*drop_text, *theme.drop_text, *COMMON_DROP_TEXT)}
    groups = {
        "body": (*body, *theme.body), "title": (*title, *theme.title),
        "date": (*date, *theme.date), "clock": theme.clock,
        "caption": (*caption, *theme.caption), "section": (*section, *theme.section),
        "author": theme.author, "tags": theme.tags, "drop": drop_all,
        "not_article": theme.not_article,
    }
    return Compiled(
        theme=theme,
        index=Index(groups),
        groups=groups,
        drop_keys=frozenset(k for k in keys if k),
        stop_keys=frozenset(line_key(t) for t in theme.stop_text),
        drop_re=re.compile("|".join(f"(?:{p})" for p in (*theme.drop_line_re,
                                                           *COMMON_DROP_LINE_RE)), re.I)
        if not generic else None,
    )


def compile_rules(rules: ExtractRules | None, theme: str | None = None) -> Compiled:
    """The theme named by `rules` (else `theme`, e.g. detected on the page; else generic) with
    the outlet's selectors on top."""
    name = (rules.theme if rules is not None else None) or theme or "generic"
    if rules is None:
        return _compiled(name, (), (), (), (), (), (), ())
    return _compiled(name, tuple(rules.body), tuple(rules.drop), tuple(rules.drop_text),
                     tuple(rules.date), tuple(rules.title), tuple(rules.caption),
                     tuple(rules.section))
