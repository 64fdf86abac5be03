"""Articles found by discovery wait as URLs and enter Scrapy's scheduler a few at a time
(spiders/pending.py): a sitemap listing hundreds of articles does not put hundreds of requests
in memory, and the crawl still fetches and stores every one of them."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.config.outlets import load_config
from crawler.links.urls import canonical
from spiders.pending import LOW_WATER_PER_SLOT
from tests.conftest import MIRROR_CONFIG, crawl_mirror

pytestmark = pytest.mark.e2e

SCALE = 150  # generated articles per outlet, on top of the corpus


@pytest.fixture(scope="module")
def big_mirror() -> Iterator[object]:
    from crawler.dev.mirror import Mirror

    with Mirror(scale=SCALE, faults=False) as m:
        yield m


def test_listed_articles_wait_as_urls_and_are_all_stored(big_mirror: object,
                                                         tmp_path: Path) -> None:
    db = tmp_path / "rasad.db"
    crawl_mirror(big_mirror, db, env={"RASAD_PROGRESS": "off"})
    config = load_config(MIRROR_CONFIG, big_mirror.origins)  # type: ignore[attr-defined]
    with sqlite3.connect(db) as conn:
        stored = {(o, u) for o, u in conn.execute("SELECT outlet, canonical_url FROM articles")}
        runs = {o: json.loads(s) for o, s in conn.execute("SELECT outlet, stats FROM crawl_runs")}
    low_water = LOW_WATER_PER_SLOT * 16  # CONCURRENT_REQUESTS
    for outlet_id, outlet in config.outlets.items():
        expected = {canonical(u, outlet.url_rules)
                    for u in big_mirror.expected_articles(outlet_id)}  # type: ignore[attr-defined]
        assert len(expected) > SCALE
        assert {u for o, u in stored if o == outlet_id} == expected, outlet_id
        stats = runs[outlet_id]
        # Most of them waited as URLs; the scheduler held the low-water mark and the
        # discovery pages (sitemaps, feed, listings) at most, not every listed article.
        assert stats["rasad/articles/waiting_max"] > SCALE // 2, stats
        discovery = sum(v for k, v in stats.items()
                        if k.startswith("rasad/pages/") and k != "rasad/pages/article"
                        and k != "rasad/pages/with_date")
        assert stats["rasad/scheduler/max"] <= low_water + discovery, stats
        assert stats["rasad/scheduler/max"] < len(expected) // 2, stats
