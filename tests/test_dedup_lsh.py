"""The two-level LSH band index (storage/lsh.py): stories are found whether the earlier copy
sits in the merged main level or in a writer's in-memory delta, across writers, merges,
updates and rollbacks. Merge sizes are shrunk so a few dozen articles cross several merges."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crawler.dev.mirror.corpus import OUTLETS, load_outlet
from storage import fingerprint as fp
from storage import lsh
from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article

TEXTS = json.loads((Path(__file__).parent / "data" / "dedup" / "articles.json")
                   .read_text(encoding="utf-8"))["articles"]
FILLER = [(a.title, "\n".join(a.paragraphs)) for o in OUTLETS for a in load_outlet(o)][:40]


@pytest.fixture(autouse=True)
def small_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsh, "MERGE_MIN", 4)
    monkeypatch.setattr(lsh, "MERGE_MAX", 8)


def add(store: ArticleStore, outlet: str, url: str, title: str, body: str):  # noqa: ANN201
    return store.add(Article(url=url, canonical_url=url, outlet=outlet, title=title, body=body),
                     url)


def add_key(store: ArticleStore, key: str, url: str):  # noqa: ANN201
    t = TEXTS[key]
    return add(store, t["outlet"], url, t["title"], "\n".join(t["body"]))


def fill(store: ArticleStore, start: int, n: int) -> None:
    for i in range(start, start + n):
        title, body = FILLER[i]
        add(store, "maseer", f"https://maseer.example/f/{i}", title, body)


def keys_of(body: str) -> set[int]:
    return set(fp.band_keys(fp.signature(fp.normalized_tokens(body))))


def mark(store: ArticleStore) -> int:
    return lsh.merged_upto(store.db.conn)


def test_stories_are_found_in_main_and_in_delta(tmp_path: Path) -> None:
    store = ArticleStore(connect(tmp_path / "a.db"), listeners=[])
    original = add_key(store, "b01-tajik-virginia-drill", "https://c.example/1")
    fill(store, 0, 10)  # crosses merges: the original is now in the main level
    assert mark(store) >= original.article_id
    bands = store.db.conn.execute("SELECT count(*), max(article_id) FROM article_bands").fetchone()
    assert bands[0] >= fp.BANDS * 5 and bands[1] <= mark(store)
    reprint = add_key(store, "r01-tajik-virginia-drill", "https://maseer.example/r1")
    assert reprint.story_id == original.article_id
    recent = add_key(store, "b05-oman-uk-naval", "https://maseer.example/5")
    assert recent.article_id > mark(store)  # in the delta, not merged yet
    copy = add_key(store, "r05-oman-uk-naval", "https://c.example/r5")
    assert copy.story_id == recent.article_id


def test_two_writers_see_each_others_articles(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    a = ArticleStore(connect(path), listeners=[])
    b = ArticleStore(connect(path), listeners=[])
    original = add_key(a, "b03-steppe-eagle", "https://alqaed.example/3")
    assert add_key(b, "r03-steppe-eagle", "https://alqaed.example/r3").story_id == \
        original.article_id  # from b's delta, read from the rows a wrote
    fill(a, 0, 12)  # a merges; b's delta is now built on an old mark
    assert mark(a) > original.article_id
    near = add_key(b, "n01-tajik-virginia-drill", "https://maseer.example/n1")
    assert near.story_id == near.article_id  # nothing of its story yet
    first = add_key(a, "b04-pakistan-centcom", "https://alqaed.example/4")
    fill(a, 12, 10)
    assert add_key(b, "n04-pakistan-centcom", "https://maseer.example/n4").story_id == \
        first.article_id


def test_updated_fingerprint_replaces_main_rows(tmp_path: Path) -> None:
    store = ArticleStore(connect(tmp_path / "u.db"), listeners=[])
    url = "https://maseer.example/7"
    first = add_key(store, "b07-sama-rates", url)
    fill(store, 0, 10)
    assert mark(store) >= first.article_id
    old = keys_of("\n".join(TEXTS["b07-sama-rates"]["body"]))
    body = "\n".join(TEXTS["b09-iraq-palestine-football"]["body"])  # rewritten completely
    assert add(store, "maseer", url, "x", body).status == "updated"
    rows = {k for (k,) in store.db.conn.execute(
        "SELECT band_key FROM article_bands WHERE article_id = ?", (first.article_id,))}
    assert rows == keys_of(body)
    assert not rows & set(old)
    # the rewritten text is now what reprints are matched against
    assert add_key(store, "n09-iraq-palestine-football",
                   "https://alqaed.example/n9").story_id == first.article_id


class FailOnce:
    def __init__(self) -> None:
        self.failed = False

    def article_written(self, conn: sqlite3.Connection, article_id: int, article: Article,
                        status: str) -> None:
        if not self.failed and "فرجينيا" in article.title:
            self.failed = True
            raise RuntimeError("disk full")


def test_rolled_back_merge_leaves_a_consistent_index(tmp_path: Path) -> None:
    listener = FailOnce()
    store = ArticleStore(connect(tmp_path / "f.db"), listeners=[listener])
    fill(store, 0, 2)
    original = add_key(store, "b02-qatar-turkey-mou", "https://maseer.example/2")
    assert mark(store) == 0
    with pytest.raises(RuntimeError):  # the 4th delta article: merges, then the listener fails
        add_key(store, "b01-tajik-virginia-drill", "https://c.example/1")
    assert mark(store) == 0
    assert store.db.conn.execute("SELECT count(*) FROM article_bands").fetchone()[0] == 0
    assert store.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    fill(store, 2, 6)
    assert mark(store) > original.article_id
    assert add_key(store, "r02-qatar-turkey-mou", "https://alqaed.example/r2").story_id == \
        original.article_id
    assert add_key(store, "b01-tajik-virginia-drill", "https://c.example/1").status == "new"
