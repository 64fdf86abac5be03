"""The theme registry's names: `extract.theme` in the outlets file → a module of
crawler/extract/themes/ holding its THEME. Kept here, apart from the themes' code, so validating
the config (every crawl's start) does not import the extractor: a new theme is its module there
plus one name here; the config rejects any other name."""
from __future__ import annotations

THEMES = ("generic", "citadel", "jnews", "tagdiv")
