"""Several articles per write transaction (storage/batch.py), against real SQLite files: each
article whole with its index and topic rows, a failed write leaving nothing of itself, other
writers of the same process never waiting on the batch's lock, and a kill mid-batch losing only
the uncommitted articles."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.alerts.config import load_alerts
from crawler.alerts.listener import TopicListener, load_topics_cached, topics_source
from storage.articles import ArticleStore
from storage.batch import Batch, batch_size, before_commit
from storage.db import connect, transaction
from storage.record import Article
from storage.search import SearchListener

ROOT = Path(__file__).resolve().parent.parent
TEXTS = json.loads((ROOT / "tests" / "data" / "dedup" / "articles.json")
                   .read_text(encoding="utf-8"))["articles"]


def article(i: int) -> Article:
    text = list(TEXTS.values())[i % len(TEXTS)]
    url = f"https://maseer.net/archives/{i}"
    # A line of its own: every article is a different text, so none merges with another.
    body = "\n".join([*text["body"], f"تحديث رقم {i} من المحرر في {i * 7} كلمة."])
    return Article(url=url, canonical_url=url, outlet="maseer", title=text["title"], body=body)


def listeners() -> list[object]:
    return [SearchListener(), TopicListener(load_topics_cached(None), load_alerts(None),
                                            source=topics_source(None))]


def write(batch: Batch, store: ArticleStore, i: int) -> None:
    a = article(i)
    batch.write(lambda conn: store.write(conn, a, a.url, {a.url}))


def count(db: Path, table: str = "articles") -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def check_whole(db: Path) -> int:
    """Every stored article has its URL, topic and index rows, and nothing else is stored."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
        assert {r[0] for r in conn.execute("SELECT article_id FROM article_urls")} == ids
        assert {r[0] for r in conn.execute("SELECT article_id FROM article_topics")} == ids
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == len(ids)
        assert conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    return len(ids)


def test_a_batch_commits_every_n_articles_and_when_flushed(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = ArticleStore(connect(db), listeners())
    batch = Batch(store.db, max_writes=4, max_seconds=60)
    for i in range(6):
        write(batch, store, i)
    assert count(db) == 4 and batch.open and batch.writes == 2  # another reader sees 4
    assert batch.flush() == 2 and not batch.open
    assert count(db) == 6 and check_whole(db) == 6


def test_a_failed_write_leaves_nothing_of_itself_and_keeps_the_others(tmp_path: Path) -> None:
    db = tmp_path / "s.db"

    class FailsOnce:
        def article_written(self, conn: sqlite3.Connection, article_id: int, a: Article,
                            status: str) -> None:
            if a.url.endswith("/1"):
                raise RuntimeError("listener failed")

    store = ArticleStore(connect(db), [*listeners(), FailsOnce()])
    batch = Batch(store.db, max_writes=32, max_seconds=60)
    write(batch, store, 0)
    with pytest.raises(RuntimeError):
        write(batch, store, 1)  # its article, URL, topic and index rows are already written
    write(batch, store, 2)
    batch.flush()
    with sqlite3.connect(db) as conn:
        urls = {r[0] for r in conn.execute("SELECT url FROM articles")}
    assert urls == {article(0).url, article(2).url}
    assert check_whole(db) == 2


def test_another_write_of_the_process_commits_the_open_batch_first(tmp_path: Path) -> None:
    """A run record or the incremental state, written on another connection while a batch is
    open: it would wait for a lock only this process can release; the batch is committed."""
    db = tmp_path / "s.db"
    store = ArticleStore(connect(db), listeners())
    batch = Batch(store.db, max_writes=32, max_seconds=60)
    write(batch, store, 0)
    write(batch, store, 1)
    other = connect(db)
    other.conn.execute("PRAGMA busy_timeout = 200")
    with transaction(other) as conn:
        conn.execute("INSERT INTO crawl_runs (outlet, started) VALUES ('x', 'now')")
    assert not batch.open and count(db) == 2 and count(db, "crawl_runs") == 1
    write(batch, store, 2)  # a new batch begins after the other write
    batch.flush()
    assert check_whole(db) == 3


_KILLED = """
import os, signal, sys
sys.path.insert(0, {root!r})
from tests.test_store_batch import article, listeners
from storage.articles import ArticleStore
from storage.batch import Batch
from storage.db import connect
store = ArticleStore(connect({db!r}), listeners())
batch = Batch(store.db, max_writes=16, max_seconds=60)
for i in range(40):
    a = article(i)
    batch.write(lambda conn: store.write(conn, a, a.url, {{a.url}}))
os.kill(os.getpid(), signal.SIGKILL)  # 8 articles written in the open batch, not committed
"""


def test_a_kill_mid_batch_loses_only_the_uncommitted_articles(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    proc = subprocess.run([sys.executable, "-c", _KILLED.format(root=str(ROOT), db=str(db))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert check_whole(db) == 32
    # The next crawl writes the lost ones as new articles, in a store that took no damage.
    store = ArticleStore(connect(db), listeners())
    batch = Batch(store.db)
    for i in range(32, 40):
        write(batch, store, i)
    batch.flush()
    assert check_whole(db) == 40


def test_work_left_for_the_commit_runs_before_it_and_goes_with_a_failed_write(
        tmp_path: Path) -> None:
    """The search index rows of a batch are written just before its commit, all at once (FTS5
    would write a segment at every article's savepoint); a write that fails takes its share
    with it."""
    db = connect(tmp_path / "s.db")
    ran: list[list[int]] = []

    def work(conn: sqlite3.Connection, items: list[int]) -> None:
        ran.append(items)

    assert not before_commit(db.conn, work, 0)  # no batch open: the caller does it now
    batch = Batch(db, max_writes=32, max_seconds=60)

    def write(i: int, fail: bool = False) -> None:
        before_commit(db.conn, work, i)
        if fail:
            raise RuntimeError("failed")

    batch.write(lambda conn: write(1))
    with pytest.raises(RuntimeError):
        batch.write(lambda conn: write(2, fail=True))
    batch.write(lambda conn: write(3))
    assert ran == [] and batch.flush() == 2 and ran == [[1, 3]] and batch.later == []


def test_batch_size_setting() -> None:
    assert batch_size("") == 32 and batch_size(None) == 32 and batch_size("1") == 1
    for bad in ("0", "-3", "many"):
        with pytest.raises(ValueError, match="RASAD_WRITE_BATCH"):
            batch_size(bad)


def _index(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, articles_fts, instance)")
        return sorted(conn.execute("SELECT term, doc, col, offset FROM temp.v").fetchall())


def test_an_article_changed_twice_in_one_batch_is_indexed_as_stored(tmp_path: Path) -> None:
    """The batch's index rows are written at its end: an article written, then changed, then
    another one, index as if each had been written in a transaction of its own."""
    def writes(batch: Batch, store: ArticleStore) -> None:
        a, b = article(0), article(1)
        batch.write(lambda conn: store.write(conn, a, a.url, {a.url}))
        changed = Article(**{**vars(a), "body": a.body + "\nفقرة أضيفت لاحقا عن المناورات."})
        batch.write(lambda conn: store.write(conn, changed, a.url, {a.url}))
        batch.write(lambda conn: store.write(conn, b, b.url, {b.url}))
        batch.flush()

    for name, size in (("one.db", 1), ("batch.db", 32)):
        store = ArticleStore(connect(tmp_path / name), listeners())
        writes(Batch(store.db, max_writes=size, max_seconds=60), store)
    assert check_whole(tmp_path / "batch.db") == 2
    assert _index(tmp_path / "batch.db") == _index(tmp_path / "one.db")
