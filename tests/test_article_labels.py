"""article_labels follows article_topics (triggers), so the article list shows what the verdicts
say: after an insert, a re-classification (upsert) and a delete."""
from __future__ import annotations

import json
from pathlib import Path

from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article


def _labels(conn: object, article_id: int) -> tuple[list[str], list[str], list[str]]:
    row = conn.execute("SELECT topics, countries, states FROM article_list "  # type: ignore
                       "WHERE id = ?", (article_id,)).fetchone()
    return tuple(json.loads(v) for v in row)  # type: ignore[return-value]


def _verdict(conn: object, article_id: int, topic: str, matched: bool, countries: dict,
             states: dict) -> None:
    conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO article_topics (article_id, topic, matched, score, countries, states, "
        "classified) VALUES (?, ?, ?, 1, ?, ?, '2025-01-01') ON CONFLICT (article_id, topic) "
        "DO UPDATE SET matched = excluded.matched, countries = excluded.countries, "
        "states = excluded.states",
        (article_id, topic, int(matched), json.dumps(countries), json.dumps(states)))


def test_labels_follow_the_verdicts(tmp_path: Path) -> None:
    db = connect(tmp_path / "r.db")
    url = "https://maseer.example/1"
    aid = ArticleStore(db).add(Article(url=url, canonical_url=url, outlet="maseer", title="ت",
                                       body="نص"), url).article_id
    conn = db.conn
    assert _labels(conn, aid) == ([], [], [])  # not classified yet
    _verdict(conn, aid, "partnership", True, {"KW": 2, "US": 1}, {"VA": 1})
    _verdict(conn, aid, "economy", False, {"QA": 1}, {})
    assert _labels(conn, aid) == (["partnership"], ["KW", "QA", "US"], ["VA"])
    _verdict(conn, aid, "partnership", False, {"KW": 1}, {})  # re-classified after an update
    assert _labels(conn, aid) == ([], ["KW", "QA"], [])
    conn.execute("DELETE FROM article_topics WHERE article_id = ?", (aid,))
    assert _labels(conn, aid) == ([], [], [])
