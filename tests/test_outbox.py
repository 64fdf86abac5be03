"""The outbox side of alerts, on real SQLite files: verdicts and outbox rows written in the
article's transaction, one row per (story, topic, channel), baseline, digests, config errors."""
from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.alerts.config import AlertConfigError, load_alerts
from crawler.alerts.dispatcher import Dispatcher
from crawler.alerts.listener import TopicListener, load_topics_cached
from crawler.alerts.message import alert_id
from crawler.dev.mirror.corpus import load_outlet
from storage.alerts import enqueue, list_alerts
from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article
from storage.runs import close_run, open_run

FILE_CHANNEL = """
[channels.file]
kind = "jsonl"
path = "out.jsonl"
"""


def alerts_config(tmp_path: Path, text: str = FILE_CHANNEL):
    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    return load_alerts(path)


@pytest.fixture(scope="module")
def topics():
    return load_topics_cached()


@pytest.fixture(scope="module")
def corpus(topics):
    """Labelled partnership articles the rule matches (distinct texts: the store would merge
    copies into one story) and an 'other' one it rejects."""
    rule = topics["partnership"]
    articles = [a for o in ("centcomcitadel", "maseer", "alqaed") for a in load_outlet(o)]
    pos = [a for a in articles if a.topic == "partnership"
           and rule.match(a.title, a.body_text()).matched][:4]
    neg = next(a for a in articles if a.topic == "other"
               and not rule.match(a.title, a.body_text()).matched)
    assert len(pos) == 4
    return pos, neg


def article(src, outlet: str = "maseer", url: str | None = None, title: str | None = None):
    url = url or f"https://{outlet}.example/{src.key}"
    return Article(url=url, canonical_url=url, outlet=outlet, title=title or src.title,
                   body=src.body_text(), published=src.day.isoformat())


def completed_run(db, outlet: str) -> None:
    run = open_run(db, outlet)
    close_run(db, run, "ok", "finished", {})


def test_verdicts_for_every_article_outbox_only_for_matches(tmp_path, topics, corpus):
    pos, neg = corpus
    db = connect(tmp_path / "t.db")
    completed_run(db, "maseer")
    store = ArticleStore(db, [TopicListener(topics, alerts_config(tmp_path))])
    a = store.add(article(pos[0]), f"https://maseer.example/{pos[0].key}")
    b = store.add(article(neg), f"https://maseer.example/{neg.key}")
    rows = {r["article_id"]: r for r in db.query("SELECT * FROM article_topics")}
    assert rows[a.article_id]["matched"] == 1 and rows[b.article_id]["matched"] == 0
    why = json.loads(rows[a.article_id]["why"])
    assert why["reasons"][0].startswith("matched") and why["terms"]
    assert json.loads(rows[a.article_id]["countries"])  # a partnership has parties
    outbox = list(db.query("SELECT * FROM alert_outbox"))
    assert [(r["article_id"], r["channel"], r["status"]) for r in outbox] == \
        [(a.article_id, "file", "pending")]


def test_outbox_row_rolls_back_with_the_article(tmp_path, topics, corpus):
    pos = corpus[0][0]
    db = connect(tmp_path / "t.db")
    completed_run(db, "maseer")

    class Boom:
        def article_written(self, conn, article_id, article, status):
            raise RuntimeError("disk full, say")

    store = ArticleStore(db, [TopicListener(topics, alerts_config(tmp_path)), Boom()])
    with pytest.raises(RuntimeError):
        store.add(article(pos), "https://maseer.example/x")
    counts = [db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "article_topics", "alert_outbox")]
    assert counts == [0, 0, 0]


def test_first_crawl_is_baseline_unless_backfill(tmp_path, topics, corpus):
    pos, _ = corpus
    db = connect(tmp_path / "t.db")
    cfg = alerts_config(tmp_path)
    ArticleStore(db, [TopicListener(topics, cfg)]).add(article(pos[0], "alqaed"), "https://a/1")
    ArticleStore(db, [TopicListener(topics, cfg, backfill=True)]).add(
        article(pos[1], "centcomcitadel"), "https://c/1")
    status = {r["outlet"]: r["status"] for r in list_alerts(db)}
    assert status == {"alqaed": "baseline", "centcomcitadel": "pending"}
    # A cancelled first crawl does not end the baseline; a completed one does.
    run = open_run(db, "alqaed")
    close_run(db, run, "cancelled", "shutdown", {})
    ArticleStore(db, [TopicListener(topics, cfg)]).add(article(pos[2], "alqaed"), "https://a/2")
    completed_run(db, "alqaed")
    ArticleStore(db, [TopicListener(topics, cfg)]).add(article(pos[3], "alqaed"), "https://a/3")
    assert [r["status"] for r in list_alerts(db, channel="file")][:2] == ["pending", "baseline"]
    # Baseline rows are never sent.
    report = Dispatcher(db, cfg, tmp_path).run()
    assert report.channels["file"].sent == 2
    assert sum(1 for _ in open(tmp_path / "out.jsonl", encoding="utf-8")) == 2


def test_url_variant_and_same_story_give_one_row(tmp_path, topics, corpus):
    pos = corpus[0][0]
    db = connect(tmp_path / "t.db")
    completed_run(db, "maseer")
    cfg = alerts_config(tmp_path, FILE_CHANNEL + '\n[channels.hook]\nkind = "webhook"\n'
                        'url = "http://127.0.0.1:9/x"\nallow_private = true\n')
    store = ArticleStore(db, [TopicListener(topics, cfg)])
    first = store.add(article(pos), "https://maseer.example/1",
                      aliases=["https://maseer.example/1?x"])
    again = store.add(article(pos, url="https://maseer.example/1?x"),
                      "https://maseer.example/1?x")
    assert again.status == "duplicate" and again.article_id == first.article_id
    # The same text under a URL shape canonicalisation does not know: the same article.
    other = store.add(article(pos, url="https://maseer.example/amp/1"),
                      "https://maseer.example/amp/1")
    assert other.article_id == first.article_id
    # A reprint on another outlet: its own row, the original's story.
    completed_run(db, "alqaed")
    reprint = store.add(article(pos, "alqaed"), "https://alqaed.example/?p=7")
    assert reprint.status == "new" and reprint.article_id != first.article_id
    assert db.conn.execute("SELECT matched FROM article_topics WHERE article_id = ?",
                           (reprint.article_id,)).fetchone() == (1,)
    assert db.conn.execute("SELECT count(*) FROM alert_outbox").fetchone()[0] == 2  # 2 channels
    # A second article of the same story (what deduplication reports for a reprint) adds nothing,
    # whoever writes it, however often.
    with db.conn:
        added = enqueue(db.conn, first.article_id, 999, "partnership", ["file", "hook"])
    assert added == []
    assert db.conn.execute("SELECT count(*) FROM alert_outbox").fetchone()[0] == 2
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO alert_outbox (story_id, article_id, topic, channel, created)"
                        " VALUES (?, 1, 'partnership', 'file', 'x')", (first.article_id,))


def test_updates_reclassify_and_alert_a_story_at_most_once(tmp_path, topics, corpus):
    pos, neg = corpus
    pos = pos[0]
    db = connect(tmp_path / "t.db")
    completed_run(db, "maseer")
    listener = TopicListener(topics, alerts_config(tmp_path))
    store = ArticleStore(db, [listener])
    added = store.add(article(neg), "https://maseer.example/n")
    with db.conn:  # a minor revision that happens to match: re-classified, not alerted
        listener.article_written(db.conn, added.article_id, article(pos), "revised")
    row = db.conn.execute("SELECT matched FROM article_topics WHERE article_id = ?",
                          (added.article_id,)).fetchone()
    assert row == (1,)
    assert db.conn.execute("SELECT count(*) FROM alert_outbox").fetchone()[0] == 0
    for _ in range(2):  # a material update that makes it a match alerts, once
        with db.conn:
            listener.article_written(db.conn, added.article_id, article(pos), "updated")
    assert db.conn.execute("SELECT count(*) FROM alert_outbox").fetchone()[0] == 1


def test_message_ids_are_derived_not_drawn():
    a = alert_id(12, "partnership", "file")
    assert a == alert_id(12, "partnership", "file") and a.startswith("msg_")
    assert len({a, alert_id(13, "partnership", "file"), alert_id(12, "partnership", "hook")}) == 3


def test_hourly_digest_waits_for_the_end_of_the_hour(tmp_path, topics, corpus):
    pos, _ = corpus
    db = connect(tmp_path / "t.db")
    completed_run(db, "maseer")
    cfg = alerts_config(tmp_path, FILE_CHANNEL + 'mode = "digest"\ndigest = "hourly"\n')
    store = ArticleStore(db, [TopicListener(topics, cfg)])
    for i in range(3):
        store.add(article(pos[i], url=f"https://maseer.example/{i}"),
                  f"https://maseer.example/{i}")
    created = datetime.fromisoformat(
        db.conn.execute("SELECT max(created) FROM alert_outbox").fetchone()[0])
    same_hour = created.replace(minute=59, second=0)
    report = Dispatcher(db, cfg, tmp_path, clock=lambda: same_hour).run()
    assert report.channels["file"].sent == 0 and report.channels["file"].waiting_digest == 3
    next_hour = created.replace(minute=0, second=1) + timedelta(hours=1)
    report = Dispatcher(db, cfg, tmp_path, clock=lambda: next_hour).run()
    assert report.channels["file"].sent == 1
    lines = [json.loads(x) for x in open(tmp_path / "out.jsonl", encoding="utf-8")]
    assert len(lines) == 1 and lines[0]["type"] == "digest"
    assert lines[0]["data"]["count"] == 3 and lines[0]["id"].startswith("dig_")
    assert {r["status"] for r in list_alerts(db)} == {"sent"}


def test_daily_digest_window():
    from crawler.alerts.channels.jsonl import JsonlChannel
    from crawler.alerts.dispatcher import window_start

    ch = JsonlChannel(id="x", kind="jsonl", path="x", mode="digest", digest="daily", digest_hour=7)
    at = datetime(2025, 7, 10, 6, 59, tzinfo=UTC)
    assert window_start(ch, at) == datetime(2025, 7, 9, 7, tzinfo=UTC)
    assert window_start(ch, at + timedelta(minutes=1)) == datetime(2025, 7, 10, 7, tzinfo=UTC)


@pytest.mark.parametrize(("text", "message"), [
    ('[channels.x]\nkind = "pager"\n', "channel 'x': key 'kind'"),
    ('[channels.x]\nkind = "webhook"\n', "channel 'x': key 'url'"),
    ('[channels.x]\nkind = "webhook"\nurl = "ftp://h/x"\n', "channel 'x': key 'url'"),
    ('[channels.x]\nkind = "jsonl"\npath = "a"\nsecret_env = "S"\n',
     "channel 'x': key 'secret_env': not a key of a 'jsonl' channel"),
    ('[channels.x]\nkind = "jsonl"\npath = "a"\nmode = "weekly"\n', "channel 'x': key 'mode'"),
    ('[channels.x]\nkind = "email"\nto = ["a@b"]\n', "channel 'x': key 'from'"),
    ('[channels.x]\nkind = "slack"\nurl_env = "not a name"\n', "channel 'x': key 'url_env'"),
    ('[channels.x]\nkind = "jsonl"\npath = "a"\n[channels.x.retry]\nbackof = 1\n',
     "channel 'x': key 'retry.backof': unknown key"),
    ('[retry]\nmax_attempts = 0\n', "[retry]: key 'max_attempts'"),
    ('[channel.x]\n', "unknown top-level key 'channel'"),
])
def test_config_errors_name_file_channel_and_key(tmp_path, text, message):
    with pytest.raises(AlertConfigError) as err:
        alerts_config(tmp_path, text)
    assert str(tmp_path / "alerts.toml") in str(err.value)
    assert message in str(err.value)


def test_channel_topics_must_exist(tmp_path, topics):
    cfg = alerts_config(tmp_path, FILE_CHANNEL + 'topics = ["partnerships"]\n')
    with pytest.raises(AlertConfigError, match="key 'topics': unknown topic 'partnerships'"):
        TopicListener(topics, cfg)


def test_shipped_config_loads(topics):
    cfg = load_alerts(Path(__file__).resolve().parent.parent / "config" / "alerts.toml")
    cfg.check_topics(topics)
    assert [c.kind for c in cfg.enabled()] == ["jsonl"]  # the rest need secrets: opt-in


def test_health_incident_notice_is_sent_once(tmp_path, monkeypatch):
    from crawler.alerts import notify_incident

    db = connect(tmp_path / "t.db")
    incident = {"id": 7, "outlet": "maseer", "kind": "extraction_broken",
                "verdict": "extraction broken", "reason": "0 of 12 article pages had a body",
                "opened": "2025-07-10T10:00:00Z"}
    alerts_config(tmp_path)  # no channel takes notices
    path = tmp_path / "alerts.toml"
    assert notify_incident(db, incident, path) is False
    alerts_config(tmp_path, FILE_CHANNEL + "notices = true\n")
    assert notify_incident(db, incident, path) is True
    assert notify_incident(db, incident, path) is True  # a repeat queues and sends nothing new
    [line] = [json.loads(x) for x in open(tmp_path / "out.jsonl", encoding="utf-8")]
    assert line["type"] == "notice" and line["data"]["outlet"] == "maseer"
    assert line["data"]["reason"] == incident["reason"]
