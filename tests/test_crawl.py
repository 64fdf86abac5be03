"""End to end: the real `rasad crawl` against the offline mirror, into a real SQLite file."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from crawler.config.outlets import load_config
from crawler.links.urls import canonical
from tests.conftest import MIRROR_CONFIG, crawl_mirror, origin_args, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`


@pytest.fixture(scope="module")
def config(mirror: object):  # noqa: ANN201
    return load_config(MIRROR_CONFIG, mirror.origins)


@pytest.fixture(scope="module")
def crawled(mirror: object, tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("crawl") / "rasad.db"
    mirror.reset_log()
    first = crawl_mirror(mirror, db)
    first_log = list(mirror.requests)
    mirror.reset_log()
    second = crawl_mirror(mirror, db)
    second_log = list(mirror.requests)
    return {"db": db, "first": first, "second": second,
            "first_log": first_log, "second_log": second_log}


def stored(db: Path) -> dict[str, set[str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT outlet, canonical_url FROM articles").fetchall()
    result: dict[str, set[str]] = {}
    for outlet, url in rows:
        result.setdefault(outlet, set()).add(url)
    return result


def test_first_crawl_stores_exactly_the_mirror_articles(crawled: dict, mirror: object,
                                                        config) -> None:  # noqa: ANN001
    by_outlet = stored(crawled["db"])
    for outlet_id, outlet in config.outlets.items():
        expected = {canonical(u, outlet.url_rules) for u in mirror.expected_articles(outlet_id)}
        assert len(expected) >= 26
        assert by_outlet.get(outlet_id, set()) == expected, outlet_id
    summary = {r["outlet"]: r for r in crawled["first"]}
    for outlet_id in config.outlets:
        assert summary[outlet_id]["articles_new"] == len(by_outlet[outlet_id])


def test_broken_pages_are_counted_not_stored(crawled: dict) -> None:
    with sqlite3.connect(crawled["db"]) as conn:
        runs = conn.execute(
            "SELECT outlet, outcome, extract_failures, errors FROM crawl_runs ORDER BY id LIMIT 3"
        ).fetchall()
    assert {r[1] for r in runs} == {"ok"}
    for outlet, _outcome, failures, errors in runs:
        # empty, binary and truncated pages at article URLs; a 404 and a 500
        assert failures >= 3, outlet
        assert errors >= 2, outlet


def test_second_crawl_stores_nothing_and_fetches_no_article_again(
    crawled: dict, mirror: object, config  # noqa: ANN001
) -> None:
    assert all(r["articles_new"] == 0 for r in crawled["second"])
    assert stored(crawled["db"]) == stored(crawled["db"])  # still readable, unchanged count
    for outlet_id, outlet in config.outlets.items():
        articles = {canonical(u, outlet.url_rules) for u in mirror.expected_articles(outlet_id)}
        origin = mirror.origins[outlet_id]
        first = [r for r in crawled["first_log"] if r["outlet"] == outlet_id
                 and canonical(origin + r["path"], outlet.url_rules) in articles]
        again = [r for r in crawled["second_log"] if r["outlet"] == outlet_id
                 and canonical(origin + r["path"], outlet.url_rules) in articles]
        assert len(first) >= len(articles)
        assert again == [], f"{outlet_id} refetched {len(again)} stored articles"


def test_crawl_obeys_robots_txt(crawled: dict) -> None:
    paths = [r["path"] for r in crawled["first_log"]]
    assert any(p == "/robots.txt" for p in paths)
    assert not [p for p in paths if re.match(r"/wp-admin/|/wp-login\.php", p)]


def test_articles_have_title_body_and_date(crawled: dict) -> None:
    with sqlite3.connect(crawled["db"]) as conn:
        rows = conn.execute("SELECT title, body, published FROM articles").fetchall()
    assert rows
    assert all(title and body and len(body) > 100 for title, body, _ in rows)
    assert sum(1 for *_, published in rows if published) / len(rows) > 0.95


def test_scrapy_list_and_scrapy_crawl(mirror: object, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    scrapy = [sys.executable, "-m", "scrapy"]
    listed = subprocess.run([*scrapy, "list"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    assert listed == ["alqaed", "centcomcitadel", "maseer"]
    db = tmp_path / "scrapy.db"
    env = {**os.environ, "RASAD_CONFIG": str(MIRROR_CONFIG), "RASAD_DB": str(db),
           "RASAD_ORIGINS": f"alqaed={mirror.origins['alqaed']}"}
    subprocess.run([*scrapy, "crawl", "alqaed"], cwd=ROOT, env=env, capture_output=True,
                   check=True, timeout=300)
    assert len(stored(db)["alqaed"]) == len(mirror.expected_articles("alqaed"))


def test_crawl_with_broken_config_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "outlets.toml"
    bad.write_text('[outlets.x]\nname = "x"\nhome = "https://x.example/"\n'
                   "article_url = ['/a/']\npoliteness = { delay = 'soon' }\n", encoding="utf-8")
    proc = rasad("crawl", "--config", str(bad), "--db", str(tmp_path / "x.db"), check=False)
    assert proc.returncode != 0
    assert str(bad) in proc.stderr and "'x'" in proc.stderr and "politeness.delay" in proc.stderr


def test_origin_flag_without_overlay(mirror: object, tmp_path: Path) -> None:
    db = tmp_path / "o.db"
    rasad("crawl", *origin_args(mirror), "--outlet", "maseer", "--delay", "0", "--db", str(db))
    assert len(stored(db)["maseer"]) == len(mirror.expected_articles("maseer"))
