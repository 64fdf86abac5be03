"""ArticleStore deduplication on constructed cases, against real SQLite files: URL aliases,
exact and near duplicates across outlets, versions, untrusted canonical links, rollback,
concurrent writers and the backfill of stores from before deduplication."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article

DATA = Path(__file__).parent / "data" / "dedup" / "articles.json"
TEXTS = json.loads(DATA.read_text(encoding="utf-8"))["articles"]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, str, str]] = []

    def article_written(self, conn: sqlite3.Connection, article_id: int, article: Article,
                        status: str) -> None:
        # Inside the transaction: the row (with its story) is already visible here.
        story = conn.execute("SELECT story_id FROM articles WHERE id = ?",
                             (article_id,)).fetchone()[0]
        assert story is not None
        self.calls.append((article_id, status, article.title))


class Boom:
    def article_written(self, *args: object) -> None:
        raise RuntimeError("listener failed")


def article(key: str, url: str, outlet: str | None = None, body: str | None = None) -> Article:
    text = TEXTS[key]
    return Article(url=url, canonical_url=url, outlet=outlet or text["outlet"],
                   title=text["title"], body=body if body is not None else "\n".join(text["body"]))


@pytest.fixture
def store(tmp_path: Path) -> ArticleStore:
    return ArticleStore(connect(tmp_path / "s.db"), listeners=[Recorder()])


def rows(store: ArticleStore, sql: str, *args: object) -> list[tuple]:
    return store.db.conn.execute(sql, args).fetchall()


def test_url_variants_are_one_article_with_aliases(store: ArticleStore) -> None:
    a = article("b02-qatar-turkey-mou", "https://maseer.net/archives/11")
    first = store.add(a, "https://maseer.net/archives/11",
                      {"https://maseer.net/archives/11", "https://maseer.net/archives/11/?utm_source=x"})
    # The same page reached through a shape no URL rule knows (WordPress ?p=): same text.
    again = store.add(article("b02-qatar-turkey-mou", "https://maseer.net/?p=11"),
                      "https://maseer.net/?p=11", {"https://maseer.net/?p=11"})
    assert (first.status, again.status) == ("new", "duplicate")
    assert again.article_id == first.article_id
    assert store.count() == 1
    urls = {u for (u,) in rows(store, "SELECT url FROM article_urls WHERE article_id = ?",
                               first.article_id)}
    assert urls == {"https://maseer.net/archives/11", "https://maseer.net/?p=11",
                    "https://maseer.net/archives/11/?utm_source=x"}
    assert store.listeners[0].calls == [(first.article_id, "new", a.title)]


def test_reprint_on_another_outlet_joins_the_story(store: ArticleStore) -> None:
    original = store.add(article("b01-tajik-virginia-drill", "https://c.example/f-1"),
                         "https://c.example/f-1")
    reprint = store.add(article("r01-tajik-virginia-drill", "https://maseer.net/archives/7"),
                        "https://maseer.net/archives/7")
    assert reprint.status == "new" and reprint.article_id != original.article_id
    assert reprint.story_id == original.story_id == original.article_id
    assert reprint.reprint and not original.reprint
    assert rows(store, "SELECT story_id FROM articles ORDER BY id") == [(1,), (1,)]


def test_verbatim_copy_on_another_outlet_keeps_its_own_row(store: ArticleStore) -> None:
    first = store.add(article("b05-oman-uk-naval", "https://maseer.net/archives/5"),
                      "https://maseer.net/archives/5")
    copy = store.add(article("b05-oman-uk-naval", "https://alqaed.pk/ar/?p=5", outlet="alqaed"),
                     "https://alqaed.pk/ar/?p=5")
    assert copy.status == "new" and copy.story_id == first.article_id
    assert store.count() == 2


def test_same_event_different_text_is_another_story(store: ArticleStore) -> None:
    a = store.add(article("b04-pakistan-centcom", "https://alqaed.pk/ar/?p=4"),
                  "https://alqaed.pk/ar/?p=4")
    b = store.add(article("e04-pakistan-centcom", "https://maseer.net/archives/4"),
                  "https://maseer.net/archives/4")
    assert a.story_id != b.story_id and b.story_id == b.article_id


def test_short_identical_texts_are_not_merged(store: ArticleStore) -> None:
    body = "شاهد الفيديو"  # a video page: too short to say two pages are one article
    a = store.add(article("b08-kuwait-sandstorm", "https://alqaed.pk/ar/?p=1", body=body),
                  "https://alqaed.pk/ar/?p=1")
    b = store.add(article("b09-iraq-palestine-football", "https://alqaed.pk/ar/?p=2", "alqaed",
                          body=body), "https://alqaed.pk/ar/?p=2")
    assert a.article_id != b.article_id and a.story_id != b.story_id


def test_correction_gives_versions_and_material_updates_notify(tmp_path: Path) -> None:
    recorder = Recorder()
    store = ArticleStore(connect(tmp_path / "v.db"), listeners=[recorder], material_change=0.1)
    url = "https://alqaed.pk/ar/?p=8"
    paragraphs = TEXTS["b08-kuwait-sandstorm"]["body"]
    first = store.add(article("b08-kuwait-sandstorm", url), url)
    corrected = [paragraphs[0].replace("مئة متر", "مئتي متر"), *paragraphs[1:]]
    minor = store.add(article("b08-kuwait-sandstorm", url, body="\n".join(corrected)), url)
    grown = [*corrected, "وأعلنت الإدارة العامة للطيران المدني لاحقاً استئناف الرحلات بعد "
             "تحسن مدى الرؤية، مع استمرار التأخير في عدد من الرحلات القادمة من دول الجوار، "
             "فيما أغلقت وزارة التربية المدارس ليوم واحد احترازياً."]
    major = store.add(article("b08-kuwait-sandstorm", url, body="\n".join(grown)), url)
    same = store.add(article("b08-kuwait-sandstorm", url, body="\n".join(grown)), url)
    assert [r.status for r in (first, minor, major, same)] == ["new", "revised", "updated",
                                                              "duplicate"]
    assert {r.article_id for r in (first, minor, major, same)} == {first.article_id}
    assert 0 < minor.changed < 0.05 < 0.1 <= major.changed
    assert store.count() == 1
    versions = rows(store, "SELECT version, material, words_added, body FROM article_versions "
                    "WHERE article_id = ? ORDER BY version", first.article_id)
    assert [(v, m) for v, m, _, _ in versions] == [(1, 0), (2, 0), (3, 1)]
    assert versions[0][3] == "\n".join(paragraphs) and versions[2][2] > 20
    body, version, updated = rows(store, "SELECT body, version, updated FROM articles")[0]
    assert body == "\n".join(grown) and version == 3 and updated
    assert [s for _, s, _ in recorder.calls] == ["new", "revised", "updated"]


def test_canonical_link_naming_an_unrelated_article_is_not_trusted(store: ArticleStore) -> None:
    home = "https://maseer.net/archives/1"
    store.add(article("b07-sama-rates", home), home)
    # A broken theme puts archives/1 as canonical on every page: a different text arrives.
    other = store.add(article("b09-iraq-palestine-football", "https://maseer.net/archives/2"),
                      home, {"https://maseer.net/archives/2"},
                      fetched_key="https://maseer.net/archives/2")
    assert other.status == "new" and store.count() == 2
    assert rows(store, "SELECT canonical_url FROM articles WHERE id = ?", other.article_id) == \
        [("https://maseer.net/archives/2",)]
    assert rows(store, "SELECT count(*) FROM article_versions") == [(0,)]


def test_failed_listener_rolls_the_article_back(tmp_path: Path) -> None:
    store = ArticleStore(connect(tmp_path / "r.db"), listeners=[Boom()])
    with pytest.raises(RuntimeError):
        store.add(article("b03-steppe-eagle", "https://c.example/3"), "https://c.example/3")
    for table in ("articles", "article_urls", "article_bands", "article_versions"):
        assert rows(store, f"SELECT count(*) FROM {table}") == [(0,)], table


def test_concurrent_writers_never_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    connect(path).conn.close()
    keys = list(TEXTS)
    errors: list[BaseException] = []

    def crawl(order: list[str]) -> None:
        try:
            store = ArticleStore(connect(path), listeners=[])
            for key in order:
                url = f"https://{TEXTS[key]['outlet']}.example/{key}"
                store.add(article(key, url), url, {url, url + "/?utm_source=x"})
            store.db.conn.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=crawl, args=(keys[::step],)) for step in (1, -1, 1, -1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = ArticleStore(connect(path), listeners=[])
    assert store.count() == len(keys)
    assert rows(store, "SELECT count(*) FROM article_urls") == [(2 * len(keys),)]
    assert rows(store, "SELECT count(*) FROM article_versions") == [(0,)]


def test_backfill_of_a_store_from_before_deduplication(store: ArticleStore) -> None:
    for key, url in (("b01-tajik-virginia-drill", "https://c.example/1"),
                     ("e01-tajik-virginia-drill", "https://alqaed.pk/ar/?p=1"),
                     ("n01-tajik-virginia-drill", "https://maseer.net/archives/1")):
        store.add(article(key, url), url)
    conn = store.db.conn
    # What migration 0002 leaves for rows written before it: story = self, nothing hashed.
    conn.execute("UPDATE articles SET content_hash = NULL, fingerprint = NULL, story_id = id")
    conn.execute("DELETE FROM article_bands")
    assert store.backfill(batch=2) == 3
    assert rows(store, "SELECT id, story_id FROM articles ORDER BY id") == [(1, 1), (2, 2), (3, 1)]
    assert rows(store, "SELECT count(*) FROM articles WHERE content_hash IS NULL") == [(0,)]
    assert store.backfill() == 0
