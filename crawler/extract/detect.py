"""Which theme a page is built with, from its own markers (not from config).

A JNews or tagDiv Newspaper page says so in its <body> classes, in the paths of its stylesheets
and scripts (wp-content/themes/<name>/) and sometimes in <meta name=generator>. An outlet
without a configured `theme` gets the detected one; a configured theme whose markers the page
does not carry is drift (a redesign or a wrong config).
"""
from __future__ import annotations

from crawler.extract.meta import PageMeta
from crawler.extract.themes import Theme, all_themes


def carries(meta: PageMeta, theme: Theme) -> bool:
    """The page shows one of `theme`'s markers."""
    if meta.body_classes & set(theme.body_markers):
        return True
    if any(mark in asset for mark in theme.asset_markers for asset in meta.theme_assets):
        return True
    generator = meta.get("generator").lower()
    return bool(generator) and any(mark in generator for mark in theme.generator_markers)


def detect_theme(meta: PageMeta) -> str | None:
    """The name of the one theme whose markers the page carries, or None."""
    found = [t.name for t in all_themes().values()
             if (t.body_markers or t.asset_markers or t.generator_markers) and carries(meta, t)]
    return found[0] if len(found) == 1 else None


def contradicts(meta: PageMeta, configured: Theme) -> bool:
    """The page carries none of the configured theme's markers (a WordPress theme's assets are
    on every page it renders, so their absence means the site no longer uses it)."""
    if not (configured.body_markers or configured.asset_markers or configured.generator_markers):
        return False
    return not carries(meta, configured)
