"""Deduplication end to end: the real `rasad crawl` against the offline mirror, into real SQLite.

One mirror for the module: a reprint and a same-event article are published on other outlets
before the first crawl; three articles are corrected before the second (material at
RASAD_MATERIAL_CHANGE=0.02); the third changes nothing; one word of one article is corrected
before the fourth (below the default 0.1). Then two crawls run at once on a fresh store, and a
crawl is killed and restarted."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from crawler.config.outlets import load_config
from crawler.links.urls import canonical
from tests.conftest import MIRROR_CONFIG, ROOT, crawl_mirror, origin_args, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

TEXTS = json.loads((Path(__file__).parent / "data" / "dedup" / "articles.json")
                   .read_text(encoding="utf-8"))["articles"]
CLUTTER_INTRO = "نعيد نشر التقرير التالي نقلاً عن موقع القائد الباكستاني لأهميته:"


def publish(mirror: object, outlet: str, key: str, body: list[str] | None = None,
            title: str | None = None) -> str:
    text = TEXTS.get(key, {})
    return mirror.publish(outlet, {  # type: ignore[attr-defined]
        "key": f"dedup-{key}-{outlet}", "title": title or text["title"],
        "body": body or text["body"], "section": "أخبار", "topic": "other"})


def q(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def article_row(db: Path, url: str, rules: object = ()) -> tuple:
    rows = q(db, "SELECT a.id, a.story_id, a.version, a.body FROM article_urls u "
                 "JOIN articles a ON a.id = u.article_id WHERE u.url = ?", canonical(url, rules))
    assert len(rows) == 1, url
    return rows[0]


@pytest.fixture(scope="module")
def world(mirror: object, tmp_path_factory: pytest.TempPathFactory) -> dict:
    config = load_config(MIRROR_CONFIG, mirror.origins)  # type: ignore[attr-defined]
    seed = next(a for a in mirror.articles("alqaed")  # type: ignore[attr-defined]
                if a.seed == "004")
    seed_url = mirror.origins["alqaed"] + seed.path  # type: ignore[attr-defined]
    urls = {
        "seed": seed_url,
        # seed 004 "is a translation of a story other Pakistani outlets also ran"
        "seed_reprint": publish(mirror, "maseer", "seed-004", title=seed.title,
                                body=[CLUTTER_INTRO, *seed.paragraphs, "اقرأ أيضاً: ملف خاص",
                                      "شارك هذا المقال"]),
        "original": publish(mirror, "alqaed", "b03-steppe-eagle"),
        "reprint": publish(mirror, "centcomcitadel", "r03-steppe-eagle"),
        "same_event": publish(mirror, "maseer", "e03-steppe-eagle"),
    }
    db = tmp_path_factory.mktemp("dedup") / "rasad.db"
    mirror.reset_log()  # type: ignore[attr-defined]
    first = crawl_mirror(mirror, db)
    first_log = list(mirror.requests)  # type: ignore[attr-defined]
    time.sleep(1.1)  # source dates have one-second resolution, like our fetch times
    corrected = {}
    for outlet in ("centcomcitadel", "maseer", "alqaed"):
        a = mirror.articles(outlet)[3]  # type: ignore[attr-defined]
        url = mirror.origins[outlet] + a.path  # type: ignore[attr-defined]
        before = list(a.paragraphs)
        paragraphs = [*before, "تحديث: أضيفت إلى هذا التقرير تفاصيل جديدة بعد نشره، "
                      "منها موعد الجولة المقبلة من التدريبات المشتركة وعدد المشاركين فيها "
                      "وأسماء الوحدات التي ستنضم إليها من الجانبين خلال الأشهر المقبلة."]
        mirror.update(url, paragraphs)  # type: ignore[attr-defined]
        corrected[outlet] = (url, before, paragraphs)
    mirror.reset_log()  # type: ignore[attr-defined]
    # the added paragraph is over 2% of any article under 1,500 words: material at 0.02
    second = crawl_env(mirror, db, {"RASAD_MATERIAL_CHANGE": "0.02"})
    second_log = list(mirror.requests)  # type: ignore[attr-defined]
    mirror.reset_log()  # type: ignore[attr-defined]
    third = crawl_mirror(mirror, db)
    third_log = list(mirror.requests)  # type: ignore[attr-defined]
    # a one-word correction is below the default threshold (0.1): a version, not material
    url, _, after = corrected["maseer"]
    time.sleep(1.1)
    mirror.update(url, [after[0].replace(after[0].split()[0], "وقد", 1), *after[1:]])
    fourth = crawl_mirror(mirror, db)
    return {"db": db, "config": config, "urls": urls, "corrected": corrected, "first": first,
            "second": second, "third": third, "fourth": fourth, "first_log": first_log,
            "second_log": second_log, "third_log": third_log}


def fetch(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")


def crawl_env(mirror: object, db: Path, env: dict[str, str]) -> list[dict]:
    proc = rasad("crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db),
                 "--json", env=env)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def article_fetches(world: dict, log: list[dict], mirror: object) -> dict[str, int]:
    """How often each stored article's page was requested, by canonical key."""
    counts: dict[str, int] = {}
    for outlet, o in world["config"].outlets.items():
        keys = {canonical(u, o.url_rules) for u in mirror.expected_articles(outlet)}
        for r in log:
            if r["outlet"] == outlet:
                key = canonical(mirror.origins[outlet] + r["path"], o.url_rules)
                if key in keys:
                    counts[key] = counts.get(key, 0) + 1
    return counts


# Which of an article's URL shapes is met first, and fetched, varies with the order responses
# come in (the worker pool made that visible); every shape met is kept as an alias, so the
# outcome does not depend on it.
def test_url_variants_are_one_article_with_aliases(world: dict, mirror: object) -> None:
    db, citadel = world["db"], world["config"].outlets["centcomcitadel"]
    expected = {canonical(u, citadel.url_rules)
                for u in mirror.expected_articles("centcomcitadel")}
    stored = {u for (u,) in q(db, "SELECT canonical_url FROM articles "
                                  "WHERE outlet = 'centcomcitadel'")}
    assert stored == expected
    # Listings link every other article with its Arabic slug and the feed always does: the
    # slugged URL is kept as an alias of the one article, never a second row.
    aliases = q(db, "SELECT u.url, a.canonical_url FROM article_urls u JOIN articles a "
                    "ON a.id = u.article_id WHERE a.outlet = 'centcomcitadel' "
                    "AND u.url != a.canonical_url")
    assert any("%D8" in url.upper() for url, _ in aliases)
    assert all(canonical(url, citadel.url_rules) == key for url, key in aliases)
    # Every slugged link of the feed (the home page names it) is an alias, whichever shape of
    # its article was met, and fetched, first.
    feed = re.search(r'href="([^"]+)"[^>]*application/atom\+xml|application/atom\+xml[^>]*'
                     r'href="([^"]+)"', fetch(citadel.home))
    assert feed, "the home page names no feed"
    links = re.findall(r'<link rel="alternate" type="text/html" href="([^"]+)"',
                       fetch(urljoin(citadel.home, feed.group(1) or feed.group(2))))
    slugged = {u for u in links if "%D8" in u.upper() and citadel.is_article_url(u)}
    assert slugged and slugged <= {url for url, _ in aliases}
    fetched = article_fetches(world, world["first_log"], mirror)
    assert fetched and max(fetched.values()) == 1


def test_reprint_on_another_outlet_joins_the_story(world: dict) -> None:
    db, urls = world["db"], world["urls"]
    rules = world["config"].outlets["centcomcitadel"].url_rules
    seed, seed_reprint = article_row(db, urls["seed"]), article_row(db, urls["seed_reprint"])
    assert seed[0] != seed_reprint[0] and seed[1] == seed_reprint[1]
    original, reprint = article_row(db, urls["original"]), article_row(db, urls["reprint"], rules)
    assert original[0] != reprint[0] and original[1] == reprint[1]


def test_same_event_different_text_is_another_story(world: dict) -> None:
    db, urls = world["db"], world["urls"]
    assert article_row(db, urls["original"])[1] != article_row(db, urls["same_event"])[1]
    stories = q(db, "SELECT count(DISTINCT story_id), count(*) FROM articles")[0]
    assert stories[1] - stories[0] == 2  # the two published reprints, nothing else merged


def test_corrected_article_is_one_article_with_two_versions(world: dict, mirror: object) -> None:
    db = world["db"]
    for outlet, (url, before, after) in world["corrected"].items():
        rules = world["config"].outlets[outlet].url_rules
        article_id, _story, version, body = article_row(db, url, rules)
        assert body == mirror.truth(url)["body"], outlet
        versions = q(db, "SELECT version, material, body FROM article_versions "
                         "WHERE article_id = ? ORDER BY version", article_id)
        assert versions[0][2] == "\n".join(before) and versions[1][2] == "\n".join(after)
        if outlet == "maseer":  # corrected once more by one word
            assert version == 3 and [(v, m) for v, m, _ in versions] == [(1, 0), (2, 1), (3, 0)]
        else:
            assert version == 2 and [(v, m) for v, m, _ in versions] == [(1, 0), (2, 1)], outlet
    assert sum(r["articles_updated"] for r in world["second"]) == 3
    assert all(r["articles_new"] == 0 for r in world["second"])
    refetched = article_fetches(world, world["second_log"], mirror)
    corrected = {canonical(u, world["config"].outlets[o].url_rules)
                 for o, (u, _, _) in world["corrected"].items()}
    assert set(refetched) == corrected  # the revisit policy fetched exactly the changed pages


def test_unchanged_crawl_refetches_nothing(world: dict, mirror: object) -> None:
    assert article_fetches(world, world["third_log"], mirror) == {}
    assert all(r["articles_new"] == 0 for r in world["third"])
    assert all(r["articles_updated"] == 0 for r in world["third"])
    assert {r["outlet"]: r["articles_updated"] for r in world["fourth"]} == \
        {"centcomcitadel": 0, "maseer": 1, "alqaed": 0}
    assert q(world["db"], "SELECT count(*) FROM article_versions") == [(7,)]


def crawl_process(mirror: object, db: Path) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "rasad"
    return subprocess.Popen(
        [str(exe), "crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db",
         str(db), "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=dict(os.environ))


def assert_no_duplicates(db: Path, mirror: object) -> None:
    total = sum(len(mirror.expected_articles(o)) for o in mirror.origins)
    assert q(db, "SELECT count(*) FROM articles") == [(total,)]
    assert q(db, "SELECT outlet, content_hash FROM articles GROUP BY 1, 2 "
                 "HAVING count(*) > 1") == []
    assert q(db, "SELECT count(*) FROM article_versions") == [(0,)]
    assert q(db, "SELECT count(*) FROM article_urls u LEFT JOIN articles a "
                 "ON a.id = u.article_id WHERE a.id IS NULL") == [(0,)]


def test_two_crawls_at_once_store_each_article_once(world: dict, mirror: object,
                                                    tmp_path: Path) -> None:
    db = tmp_path / "concurrent.db"
    procs = [crawl_process(mirror, db) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    context = [(out, err[-3000:]) for out, err in outputs]  # shown when an assertion fails
    assert [p.returncode for p in procs] == [0, 0], context
    try:
        assert_no_duplicates(db, mirror)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{context}") from None
    news = sum(json.loads(line)["articles_new"] for out, _ in outputs
               for line in out.splitlines() if line.startswith("{"))
    # each article counted new by exactly one of the two crawls
    assert news == q(db, "SELECT count(*) FROM articles")[0][0], context


def test_restart_after_a_killed_crawl(world: dict, mirror: object, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    proc = crawl_process(mirror, db)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if db.exists() and q(db, "SELECT count(*) FROM articles")[0][0] >= 10:
                break
        except sqlite3.OperationalError:  # not created yet, or being migrated
            pass
        time.sleep(0.05)
    assert proc.poll() is None, "the crawl ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # The kill landed mid-crawl: some articles stored, not all, and the run never closed.
    total = sum(len(mirror.expected_articles(o)) for o in mirror.origins)  # type: ignore[attr-defined]
    assert 10 <= q(db, "SELECT count(*) FROM articles")[0][0] < total
    assert ("running",) in q(db, "SELECT outcome FROM crawl_runs")
    crawl_mirror(mirror, db)
    assert_no_duplicates(db, mirror)
