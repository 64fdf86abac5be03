"""Full-text search on a real SQLite store: Arabic folding, name variants, clitics, ranking, query
syntax, snippets in the original spelling, filters, and index upkeep (transaction, catch-up)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import connect
from storage.filters import ArticleFilter, FilterError
from storage.record import Article
from storage.search import SearchListener, catch_up, open_for_reading, reindex, search
from storage.search_query import QueryError

FILLER = "وقال المتحدث في بيان صدر اليوم إن الاجتماع تناول عدة ملفات"
OTHER = "ارتفعت أسعار النفط في الأسواق مع تراجع المخزونات وتوقعات الطلب"

# (query as an analyst types it, the word as an outlet wrote it)
FOLDING = [
    ("متعددة", "متعدّدة"),  # shadda
    ("متعددة", "مُتَعَدِّدَةٌ"),  # full harakat
    ("الحرس", "الحـــرس"),  # tatweel
    ("العالمية", "العالمیة"),  # Persian yeh (seed 004)
    ("العالمیة", "العالمية"),
    ("إدارة", "ادارة"),  # hamza on alef
    ("الادارة", "الإدارة"),
    ("آسيا", "اسيا"),  # madda
    ("مستشفى", "مستشفي"),  # alef maqsura / yeh
    ("مدرسه", "مدرسة"),  # teh marbuta / heh
    ("كابل", "کابل"),  # Persian keheh
    ("مسؤول", "مسئول"),  # hamza seat
    ("2025", "٢٠٢٥"),  # Arabic-Indic digits
]
NAMES = [
    ("أميركي", "أمريكي"), ("أمريكي", "أميركي"), ("الأمريكية", "الأميركية"),
    ("فرجينيا", "فيرجينيا"), ("فيرجينيا", "فرجينيا"),
    ("ميسيسيبي", "مسيسيبي"), ("مسيسيبي", "ميسيسيبي"),
    ("قيرغيزستان", "قرغيزستان"), ("قرغيزستان", "قيرغيزستان"),
]
CLITICS = [
    ("الحرس", "والحرس"), ("الحرس", "بالحرس"), ("الحرس", "للحرس"), ("حرس", "الحرس"),
    ("قيرغيزستان", "وقيرغيزستان"), ("فرجينيا", "لفرجينيا"), ("الوطني", "وطني"),
    ("أمريكا", "وأميركا"),
]


def _article(n: int, title: str, body: str, outlet: str = "maseer",
             published: str | None = "2025-03-01") -> Article:
    url = f"https://example.test/{outlet}/{n}"
    return Article(url=url, canonical_url=url, outlet=outlet, title=title, body=body,
                   published=published)


def _store(path: Path, articles: list[Article]) -> sqlite3.Connection:
    db = connect(path)
    store = ArticleStore(db, listeners=[SearchListener()])
    for a in articles:
        store.add(a, a.canonical_url)
    return open_for_reading(path).conn


def _ids(conn: sqlite3.Connection, query: str, **filters: object) -> list[int]:
    return [h.id for h in search(conn, query, ArticleFilter(**filters))]  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "written"), FOLDING + NAMES + CLITICS,
                         ids=[f"{q}~{w}" for q, w in FOLDING + NAMES + CLITICS])
def test_query_finds_the_spelling_the_outlet_used(tmp_path: Path, query: str,
                                                  written: str) -> None:
    conn = _store(tmp_path / "s.db", [
        _article(1, "خبر", f"{FILLER} {written} {FILLER}."),
        _article(2, "خبر آخر", f"{FILLER} {OTHER}."),
    ])
    hits = search(conn, query)
    assert [h.id for h in hits] == [1]
    # The snippet shows the word as the outlet wrote it, marked.
    assert f"**{written}**" in hits[0].snippet


def test_common_words_are_not_merged_by_name_variants(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db", [
        _article(1, "خبر", "زار الوفد المدرسة الجديدة"),
        _article(2, "خبر", "قطع الطريق بين المدينتين"),
    ])
    # Short words never use skeleton keys: كتب must not find كتاب, قطر must not find قطار.
    assert _ids(conn, "مدرس") == []
    assert _ids(conn, "قطار") == []
    assert _ids(conn, "المدرسة") == [1]


def test_quoted_words_match_exactly(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db", [
        _article(1, "الشراكة العالمية", FILLER),
        _article(2, "الأبحاث العلمية", FILLER),
        _article(3, "الشراكة", f"{FILLER} والعالمية"),
    ])
    # Unquoted, the five-letter skeleton also reaches العلمية, ranked after the exact word.
    assert _ids(conn, "العالمية")[:1] == [1]
    assert set(_ids(conn, "العالمية")) == {1, 2, 3}
    assert _ids(conn, '"العالمية"') == [1]
    assert _ids(conn, '"الشراكة العالمية"') == [1]


def test_ranking_exact_before_variant_and_title_before_body(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db", [
        _article(1, "خبر", f"{FILLER} فيرجينيا {OTHER}"),
        _article(2, "خبر", f"{FILLER} فرجينيا {OTHER}"),
        _article(3, "الحرس الوطني في فرجينيا", f"{FILLER} {OTHER}"),
    ])
    assert _ids(conn, "فرجينيا") == [3, 2, 1]


def test_ranking_prefers_the_words_side_by_side(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db", [
        # More occurrences (bm25 likes it), but the words apart.
        _article(1, "حرس الحدود", "ضبط حرس الحدود شحنة. وقال حرس السواحل إن الأمن الوطني "
                                  "مستقر، وإن المجلس الوطني اجتمع."),
        _article(2, "خبر", f"{FILLER} وأعلن الحرسُ الوطنيّ عن تدريبات {OTHER}"),
    ])
    assert _ids(conn, "الحرس الوطني") == [2, 1]


def test_query_syntax(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db", [
        _article(1, "خبر", "الحرس الوطني السعودي يختتم تدريبات"),
        _article(2, "خبر", "الحرس الوطني لولاية فرجينيا يدرب قوات كازاخستان"),
        _article(3, "اقتصاد", OTHER),
    ])
    assert _ids(conn, "الحرس الوطني") == [1, 2] or _ids(conn, "الحرس الوطني") == [2, 1]
    assert _ids(conn, "الحرس -السعودي") == [2]
    assert sorted(_ids(conn, "النفط OR كازاخستان")) == [2, 3]
    assert sorted(_ids(conn, "تدريب*")) == [1]
    assert sorted(_ids(conn, "يدر*")) == [2]
    assert _ids(conn, "AND OR NOT") == []  # FTS operators typed as words are just words
    for bad in ("", "   ", "-الحرس", "،؛!"):
        with pytest.raises(QueryError):
            search(conn, bad)


def test_snippet_window_and_punctuation_are_original(tmp_path: Path) -> None:
    body = " ".join([OTHER] * 10) + " وأكد أن الحـــرس الوطنيّ لولاية فيرجينيا، وقيرغيزستان. " + \
        " ".join([OTHER] * 10)
    conn = _store(tmp_path / "s.db", [_article(1, "عنوان", body)])
    (hit,) = search(conn, "الحرس الوطني قرغيزستان")
    assert "**الحـــرس** **الوطنيّ** لولاية فيرجينيا، **وقيرغيزستان**." in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet.split()) < 40
    # A match in the title only: the snippet comes from the title.
    conn2 = _store(tmp_path / "t.db", [_article(1, "زيارة وفد قرغيزستان", OTHER)])
    assert "**قرغيزستان**" in search(conn2, "قيرغيزستان")[0].snippet


def test_filters(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db", [
        _article(1, "الحرس", FILLER, "maseer", "2025-01-10"),
        _article(2, "الحرس", FILLER, "alqaed", "2025-02-10T09:30:00+03:00"),
        _article(3, "الحرس", FILLER, "centcomcitadel", "2025-03-10"),
        _article(4, "الحرس", FILLER, "maseer", None),
    ])
    from datetime import date

    assert sorted(_ids(conn, "الحرس", outlets=["maseer"])) == [1, 4]
    assert sorted(_ids(conn, "الحرس", since=date(2025, 2, 1))) == [2, 3]
    # --until is inclusive, also for a date with a time of day.
    assert sorted(_ids(conn, "الحرس", until=date(2025, 2, 10))) == [1, 2]
    assert _ids(conn, "الحرس", outlets=["maseer", "alqaed"], since=date(2025, 2, 1)) == [2]
    w = connect(tmp_path / "s.db")
    w.conn.executemany(
        "INSERT INTO article_topics (article_id, topic, matched, score, countries, classified) "
        "VALUES (?, ?, ?, ?, ?, '2025-01-01')",
        [(1, "partnership", 1, 9, '{"KG": 2, "US": 1}'), (2, "partnership", 0, 2, '{"KW": 1}'),
         (3, "partnership", 1, 7, '{"KW": 3}')])
    assert sorted(_ids(conn, "الحرس", topic="partnership")) == [1, 3]
    assert sorted(_ids(conn, "الحرس", country="kw")) == [2, 3]
    assert _ids(conn, "الحرس", topic="partnership", country="KW") == [3]
    assert _ids(conn, "الحرس", topic="no-such-topic") == []


def test_topic_filter_on_store_without_topics_is_a_clear_error(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
    with pytest.raises(FilterError, match="article_topics"):
        ArticleFilter(topic="partnership").sql(conn)


def test_index_row_commits_and_rolls_back_with_the_article(tmp_path: Path) -> None:
    class Boom:
        def article_written(self, *args: object) -> None:
            raise RuntimeError("listener after the search listener failed")

    db = connect(tmp_path / "s.db")
    store = ArticleStore(db, listeners=[SearchListener(), Boom()])
    with pytest.raises(RuntimeError):
        store.add(_article(1, "الحرس", FILLER), "https://example.test/maseer/1")
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0


def _index_instances(conn: sqlite3.Connection, table: str = "articles_fts") -> set[tuple]:
    """Every (term, rowid, column, offset) the FTS index holds."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} "
                 f"USING fts5vocab(main, {table}, 'instance')")
    return set(conn.execute(f"SELECT term, doc, col, offset FROM temp.v_{table}"))


def assert_index_is_exact(path: Path) -> None:
    """The store's index holds exactly what indexing its articles from scratch would."""
    from storage.search_query import index_columns

    conn = sqlite3.connect(path)
    fresh = sqlite3.connect(":memory:")
    fresh.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, title_k, body_k, "
                  "content='')")
    for id_, title, body in conn.execute("SELECT id, title, body FROM articles"):
        fresh.execute("INSERT INTO articles_fts (rowid, title, body, title_k, body_k) "
                      "VALUES (?, ?, ?, ?, ?)", (id_, *index_columns(title, body)))
    assert _index_instances(conn) == _index_instances(fresh)
    conn.close()


def test_writers_that_bypass_the_listener_are_caught_up(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = connect(path)
    ArticleStore(db, listeners=[]).add(_article(1, "الحرس", FILLER), "https://example.test/1")
    assert db.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 1
    conn = open_for_reading(path).conn
    assert _ids(conn, "الحـرس") == [1]
    assert_index_is_exact(path)
    # A text change made behind the index's back (SQL, another tool) is re-indexed too: the old
    # words leave the index (a contentless index needs them spelled out to forget them).
    db.conn.execute("UPDATE articles SET title = 'الجيش', body = 'تدريبات مشتركة' WHERE id = 1")
    conn = open_for_reading(path).conn
    assert _ids(conn, "الحرس") == []
    assert _ids(conn, "مشتركة") == [1]
    assert_index_is_exact(path)
    db.conn.execute("DELETE FROM article_urls WHERE article_id = 1")
    db.conn.execute("DELETE FROM articles WHERE id = 1")
    open_for_reading(path)
    assert_index_is_exact(path)
    assert db.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0


@pytest.mark.parametrize("listener_first", [True, False])
def test_updates_keep_the_index_exact_whatever_the_order(tmp_path: Path,
                                                         listener_first: bool) -> None:
    from storage.db import transaction
    from storage.search import index_article

    path = tmp_path / "s.db"
    db = connect(path)
    store = ArticleStore(db, listeners=[SearchListener()])
    for i in range(1, 4):
        store.add(_article(i, f"الحرس {i}", f"{FILLER} فيرجينيا"), f"https://example.test/{i}")
    # An updater that calls the listener before or after its UPDATE, several times over.
    for n, body in enumerate(["تدريبات مشتركة", "مناورات بحرية", "تدريبات مشتركة"]):
        with transaction(db) as conn:
            if listener_first:
                index_article(conn, 2)
            conn.execute("UPDATE articles SET body = ?, title = ? WHERE id = 2",
                         (body, f"عنوان {n}"))
            if not listener_first:
                index_article(conn, 2)
    # Article 3 is deleted and its id reused by a new article (SQLite reuses the top rowid).
    db.conn.execute("DELETE FROM article_urls WHERE article_id = 3")
    db.conn.execute("DELETE FROM articles WHERE id = 3")
    store.add(_article(9, "خبر جديد", "مسيسيبي"), "https://example.test/9")
    assert db.conn.execute("SELECT max(id) FROM articles").fetchone()[0] == 3
    open_for_reading(path)
    assert_index_is_exact(path)
    conn = open_for_reading(path).conn
    assert _ids(conn, "ميسيسيبي") == [3]
    assert _ids(conn, "فرجينيا") == [1]
    assert _ids(conn, "مشتركة") == [2]


def test_a_refetched_article_with_a_new_text_is_reindexed(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = connect(path)
    store = ArticleStore(db, listeners=[SearchListener()])
    first = _article(1, "الحرس الوطني", f"{FILLER} تدريبات مشتركة في فيرجينيا {OTHER}")
    store.add(first, first.canonical_url)
    changed = _article(1, "الحرس الوطني", f"{FILLER} مناورات بحرية قرب قيرغيزستان {OTHER}")
    result = store.add(changed, changed.canonical_url)
    assert result.status in ("updated", "revised")
    assert db.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert_index_is_exact(path)
    conn = open_for_reading(path).conn
    assert _ids(conn, "قرغيزستان") == [1]
    assert _ids(conn, "فرجينيا") == []


def test_store_older_than_search_is_brought_forward(tmp_path: Path) -> None:
    from storage.schema import migration_files, statements

    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    name, script = migration_files()[0]
    for statement in statements(script):
        old.execute(statement)
    old.execute("INSERT INTO schema_migrations VALUES (?, '2025-01-01')", (name,))
    old.execute("INSERT INTO articles (outlet, url, canonical_url, title, body, first_seen, "
                "last_seen) VALUES ('maseer', 'u', 'u', 'الحـــرس الوطني', 'نص', 'x', 'x')")
    old.close()
    conn = open_for_reading(path).conn
    assert _ids(conn, "الحرس") == [1]


def test_index_is_rebuilt_when_the_normaliser_changed(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _store(path, [_article(i, f"عنوان {i}", f"{FILLER} الحرس") for i in range(1, 8)])
    db = connect(path)
    # As if built by another normaliser: words this one would never produce, a stale mark.
    db.conn.execute("INSERT INTO articles_fts (rowid, title, body, title_k, body_k) "
                    "VALUES (3, 'x', 'الحرس_القديم', 'x', 'y')")
    db.conn.execute("UPDATE search_meta SET value = 'old' WHERE key = 'normaliser'")
    warnings: list[str] = []
    conn = open_for_reading(path, warn=warnings.append).conn
    assert any("rebuilding" in w for w in warnings)
    assert_index_is_exact(path)
    assert sorted(_ids(conn, "الحرس")) == list(range(1, 8))


def test_reindex_rebuilds_every_row(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _store(path, [_article(i, f"عنوان {i}", f"{FILLER} الحرس") for i in range(1, 8)])
    db = connect(path)
    assert reindex(db, batch=3) == 7
    assert catch_up(db) == 0
    assert_index_is_exact(path)
    assert sorted(_ids(db.conn, "الحرس")) == list(range(1, 8))
