"""Alerts end to end: the real `rasad crawl` against the offline mirror, with the shipped
config/alerts.toml (a JSON Lines channel next to the database). First crawl: a baseline, nothing
sent. Then the mirror publishes two partnership stories (one reprinted by a second outlet, the
citadel one linked with and without its slug), a regional story without a US side and a hard
negative: one alert per partnership story. A backfill is one digest."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crawler.dev import demo_alerts as demo
from tests.conftest import crawl_mirror, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def query(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def scenario(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("alerts-e2e")
    db = folder / "rasad.db"
    jsonl = folder / "alerts.jsonl"
    crawl_mirror(mirror, db)
    baseline = {"sent": lines(jsonl),
                "outbox": query(db, "SELECT status, count(*) FROM alert_outbox GROUP BY status")}
    published = demo.publish(mirror)
    crawl_mirror(mirror, db)
    after_news = lines(jsonl)
    crawl_mirror(mirror, db)  # nothing new: nothing sent
    rasad("alerts", "dispatch", "--db", str(db))  # and draining again sends nothing either
    return {"db": db, "jsonl": jsonl, "baseline": baseline, "published": published,
            "after_news": after_news, "final": lines(jsonl)}


def test_first_crawl_is_a_baseline(scenario):
    assert scenario["baseline"]["sent"] == []
    statuses = dict(scenario["baseline"]["outbox"])
    assert set(statuses) == {"baseline"} and statuses["baseline"] >= 5  # recorded, not sent


def test_one_alert_per_new_story(scenario):
    db, sent = scenario["db"], scenario["after_news"]
    titles = sorted(m["data"]["title"] for m in sent)
    assert titles == sorted([demo.NEVADA_TURKMENISTAN["title"], demo.PAKISTAN_US["title"]])
    assert len({m["id"] for m in sent}) == 2
    # The Nevada story: an article on each outlet, one story, one alert.
    rows = query(db, "SELECT outlet, story_id FROM articles WHERE title = ?",
                 demo.NEVADA_TURKMENISTAN["title"])
    assert sorted(o for o, _ in rows) == ["centcomcitadel", "maseer"]
    assert len({s for _, s in rows}) == 1
    # The hard negative is stored and classified, not alerted.
    [(matched, why)] = query(
        db, "SELECT t.matched, t.why FROM article_topics t JOIN articles a ON a.id = t.article_id "
            "WHERE a.title = ? AND t.topic = 'partnership'", demo.SAUDI_GUARD_HOSPITAL["title"])
    assert matched == 0 and "not matched" in json.loads(why)["reasons"][0]
    # Regional cooperation without the US: stored under the second topic, searchable, no alert.
    rows = query(db, "SELECT t.topic, t.matched FROM article_topics t JOIN articles a "
                     "ON a.id = t.article_id WHERE a.title = ?", demo.PAKISTAN_KAZAKHSTAN["title"])
    assert dict(rows) == {"partnership": 0, "regional_military_cooperation": 1}
    assert query(db, "SELECT count(*) FROM alert_outbox WHERE topic != 'partnership'") == [(0,)]
    assert scenario["final"] == sent  # later crawls and dispatches add nothing


def test_alert_says_why(scenario):
    [nevada] = [m for m in scenario["after_news"]
                if m["data"]["title"] == demo.NEVADA_TURKMENISTAN["title"]]
    data = nevada["data"]
    assert "TM" in data["countries"] and "NV" in data["states"]
    assert data["reasons"][0].startswith("matched") and data["score"] >= data["threshold"]
    assert data["reason"].startswith("US/NATO side") and data["sentences"]
    assert all(s in " ".join([data["title"], *demo.NEVADA_TURKMENISTAN["body"]])
               for s in data["sentences"])  # quoted as the outlet wrote them
    assert data["url"].startswith("http://127.0.0.1:")


def test_alerts_list_json(scenario):
    out = rasad("alerts", "list", "--db", str(scenario["db"]), "--format", "json",
                "--status", "sent").stdout
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == 2
    for row in rows:
        assert {"url", "topic", "channel", "status", "created"} <= set(row)
        assert row["channel"] == "file" and row["topic"] == "partnership"


def test_topics_explain_and_backtest(scenario):
    db = str(scenario["db"])
    url = next(u for o, u, a in scenario["published"] if a is demo.SAUDI_GUARD_HOSPITAL)
    out = rasad("topics", "explain", url, "--db", db).stdout
    assert "not matched" in out and "(exclusion)" in out
    url = next(u for o, u, a in scenario["published"] if o == "maseer")
    out = rasad("topics", "explain", url + "?utm_source=x", "--db", db).stdout
    assert "MATCHED" in out and "alert to file: sent" in out
    bt = rasad("topics", "backtest", "partnership", "--db", db, "--format", "json").stdout
    found = [json.loads(x) for x in bt.splitlines()]
    stories = {f["story_id"] for f in found}
    assert sum(f["would_alert"] for f in found) == len(stories)
    stored = query(scenario["db"], "SELECT count(*) FROM article_topics "
                                   "WHERE matched = 1 AND topic = 'partnership'")
    assert len(found) == stored[0][0]  # the same rules as at crawl time: the same verdicts


def test_alert_backfill(mirror, tmp_path):
    db = tmp_path / "rasad.db"
    crawl_mirror(mirror, db, "--outlet", "alqaed", "--alert-backfill")
    sent = lines(tmp_path / "alerts.jsonl")
    [(stories,)] = query(db, "SELECT count(DISTINCT a.story_id) FROM article_topics t "
                             "JOIN articles a ON a.id = t.article_id "
                             "WHERE t.matched = 1 AND t.topic = 'partnership'")
    # One digest per channel, not one message per article.
    [digest] = sent
    assert digest["type"] == "digest" and digest["data"]["period"] == "backfill"
    assert stories >= 2 and digest["data"]["count"] == stories
    assert {a["outlet"] for a in digest["data"]["alerts"]} == {"alqaed"}
