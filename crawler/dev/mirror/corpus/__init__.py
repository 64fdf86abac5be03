"""Load the article corpus: JSON files corpus/<outlet>/*.json (data, not code).

The loader lives in corpus/__init__.py and each outlet directory has an empty __init__.py, so
that setuptools finds them as packages and the project's package-data pattern ("*.json") ships
the data in a wheel.

Each file is {"articles": [...]}; an article has key, title, date ("YYYY-MM-DD"), time ("HH:MM",
outlet local time), body (list of paragraphs, "## " marks a subheading), section, topic
("partnership" | "other"), and optionally language, author, caption, tags, categories, dates
(overrides of model.DEFAULT_DATES), encoding, template, seed, note (free text, ignored).
"""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from ..model import DEFAULT_DATES, MirrorArticle

CORPUS_DIR = Path(__file__).resolve().parent  # JSON files sit next to this loader
OUTLETS = ("centcomcitadel", "maseer", "alqaed")  # the configured ones (config/outlets.toml)
# Outlets built like other common Arabic news sites, with NO entry or rules in config/outlets.toml:
# `rasad outlets add` must find them out by itself (tests/test_onboard_e2e.py).
UNCONFIGURED = ("rafid", "wahat")
ALL_OUTLETS = OUTLETS + UNCONFIGURED

# Local time of each outlet's CMS (what article:published_time carries as offset).
TIMEZONES = {
    "centcomcitadel": timezone(timedelta(hours=3)),
    "maseer": timezone(timedelta(hours=3)),
    "alqaed": timezone(timedelta(hours=5)),
    "rafid": timezone(timedelta(hours=3)),
    "wahat": timezone(timedelta(hours=4)),
}

_KNOWN = {"key", "title", "date", "time", "body", "section", "topic", "language", "author",
          "caption", "tags", "categories", "dates", "encoding", "template", "seed", "note",
          "modified"}
ENCODINGS = {None, "cp1256-header", "cp1256-undeclared", "cp1256-wrong-header",
             "cp1256-wrong-meta"}


_PUBLISHED = itertools.count(1)  # keys of articles added at runtime without one


class CorpusError(ValueError):
    pass


def article_from_dict(outlet: str, raw: dict[str, Any], where: str = "") -> MirrorArticle:
    """Validate one corpus record (also used by Mirror.publish)."""
    unknown = set(raw) - _KNOWN
    missing = {"title", "body", "section"} - set(raw)
    if unknown or missing:
        raise CorpusError(f"{where}{raw.get('key')}: unknown {sorted(unknown)} missing "
                          f"{sorted(missing)}")
    tz = TIMEZONES[outlet]
    if "date" in raw:
        when = datetime.fromisoformat(f"{raw['date']}T{raw.get('time', '10:00')}:00")
        published = when.replace(tzinfo=tz)
    else:
        published = datetime.now(tz).replace(microsecond=0)
    dates = dict(DEFAULT_DATES)
    dates.update(raw.get("dates") or {})
    if raw.get("topic", "other") not in ("partnership", "other"):
        raise CorpusError(f"{where}{raw.get('key')}: topic must be partnership or other")
    if raw.get("encoding") not in ENCODINGS:
        raise CorpusError(f"{where}{raw.get('key')}: unknown encoding {raw.get('encoding')!r}")
    body = [p.strip() for p in raw["body"] if p.strip()]
    if not body:
        raise CorpusError(f"{where}{raw.get('key')}: empty body")
    modified = None
    if raw.get("modified"):
        modified = datetime.fromisoformat(raw["modified"]).replace(tzinfo=tz)
    return MirrorArticle(
        outlet=outlet,
        key=raw.get("key") or f"published-{published:%Y%m%d%H%M%S}-{next(_PUBLISHED)}",
        title=raw["title"].strip(),
        body=body,
        published=published,
        modified=modified,
        section=raw["section"],
        language=raw.get("language", "ar"),
        topic=raw.get("topic", "other"),
        author=raw.get("author"),
        caption=raw.get("caption"),
        tags=list(raw.get("tags", [])),
        categories=list(raw.get("categories", [])),
        dates=dates,
        encoding=raw.get("encoding"),
        template=raw.get("template", "default"),
        seed=raw.get("seed"),
    )


@cache
def _load_raw(outlet: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    records = []
    for path in sorted((CORPUS_DIR / outlet).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for raw in data["articles"]:
            records.append((path.name, raw))
    return tuple(records)


def load_outlet(outlet: str) -> list[MirrorArticle]:
    """Fresh MirrorArticle objects (callers may mutate them), oldest first."""
    if outlet not in ALL_OUTLETS:
        raise CorpusError(f"unknown outlet {outlet!r}")
    articles = [article_from_dict(outlet, raw, f"{name}: ") for name, raw in _load_raw(outlet)]
    keys = [a.key for a in articles]
    if len(keys) != len(set(keys)):
        raise CorpusError(f"{outlet}: duplicate article keys")
    articles.sort(key=lambda a: (a.published, a.key))
    return articles
