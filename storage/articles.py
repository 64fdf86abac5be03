"""Article writes and lookups, deduplicated (see README, "Deduplication"):

- URL: the canonical URL and every alias it was reached by (article_urls) name one article;
- text: the same normalised body under another URL of the same outlet is the same article;
- story: a verbatim or near copy on another outlet gets its own row and the original's story_id;
- versions: a stored URL whose body changed becomes a new version (article_versions), "updated"
  when the change is material (RASAD_MATERIAL_CHANGE), "revised" otherwise."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from storage import fingerprint as fp
from storage import stories, versions
from storage.db import now_iso, transaction
from storage.lsh import BandIndex
from storage.record import Article
from storage.stories import Match, Text
from storage.versions import DEFAULT_MATERIAL_CHANGE

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

# The one column list of an article write: column → how a new version of a stored article sets
# it (None: kept as first stored). INSERT and UPDATE are both built from it.
_COLUMNS: dict[str, str | None] = {
    "outlet": None, "url": None, "canonical_url": None,
    "title": "?", "body": "?",
    "published": "coalesce(?, published)",  # a refetch without a date keeps the known one
    "published_source": "coalesce(?, published_source)",
    "author": "?", "language": "?", "section": "?", "tags": "?", "image": "?", "caption": "?",
    "date_flags": "?",
    "first_seen": None, "last_seen": "?", "run_id": None, "story_id": None,
    "content_hash": "?", "fingerprint": "?", "version": "?", "updated": "?",
    "last_fetched": "?",
    # never back: a date in the future must not make every later crawl refetch
    "source_modified": "max(coalesce(source_modified, ''), coalesce(?, ''))",
}
# A new row takes the next id (SQLite's own choice for a rowid: one above the largest) and is
# its own story unless it joined one: both set here, so no UPDATE follows the INSERT.
_NEXT_ID = "(SELECT coalesce(max(id), 0) + 1 FROM articles)"
_INSERT = (f"INSERT INTO articles (id, {', '.join(_COLUMNS)}) VALUES ({_NEXT_ID}, "
           + ", ".join(f"coalesce(?, {_NEXT_ID})" if c == "story_id" else "?" for c in _COLUMNS)
           + ") ON CONFLICT(canonical_url) DO NOTHING RETURNING id")
_UPDATED = [c for c, how in _COLUMNS.items() if how]
_UPDATE = (f"UPDATE articles SET {', '.join(f'{c} = {_COLUMNS[c]}' for c in _UPDATED)} "
           "WHERE id = ?")


def _row(article: Article, text: Text, seen: str, **fields: object) -> dict[str, object]:
    """Every column of `_COLUMNS` for `article` as fetched at `seen`; `fields` add the rest."""
    # Its fields as they are (not `to_dict()`: dataclasses.asdict deep-copies every value, ~0.1
    # ms an article, and the two lists are written as JSON anyway).
    row: dict[str, object] = dict(vars(article))
    row.update(tags=json.dumps(article.tags, ensure_ascii=False),
               date_flags=json.dumps(article.date_flags), content_hash=text.hash,
               fingerprint=text.signature, last_seen=seen, last_fetched=seen, **fields)
    return row


@dataclass(frozen=True)
class AddResult:
    article_id: int
    status: str  # "new", "duplicate", "updated" (material change) or "revised" (minor change)
    story_id: int | None = None  # == article_id for the first article of a story
    version: int = 1
    changed: float = 0.0  # share of words changed, for "updated"/"revised"

    @property
    def reprint(self) -> bool:
        """A new article that joined a story first stored under another article."""
        return self.status == "new" and self.story_id not in (None, self.article_id)


class ArticleListener(Protocol):
    """Called inside the article's write transaction (so its own rows commit or roll back with
    the article): search indexing, the alert outbox, … `status` is
    - "new": a new row; `articles.story_id` is already set (≠ article_id: a reprint of a story
      stored earlier, possibly on another outlet);
    - "updated": a stored article's text changed materially (RASAD_MATERIAL_CHANGE): re-index,
      and an alert may fire again;
    - "revised": its text changed below that threshold: re-index, do not alert again.
    An unchanged refetch ("duplicate") calls no listener.

    A listener may also have a static `prepare(article, context) -> value`: the part of its
    work that needs no database (topic verdicts, index words), which the crawl runs in a worker
    process (crawler/components/workers.py), with `context` from its static
    `prepare_context(settings)` if it has one (e.g. which topics file). The store then passes
    that value as `article_written(..., prepared=value)`; without one the listener computes it
    itself."""

    def article_written(
        self, conn: sqlite3.Connection, article_id: int, article: Article, status: str
    ) -> None: ...


class ArticleStore:
    """Writes articles: one transaction per article, deduplicated by URL, text and story.

    Idempotency is the database's: `BEGIN IMMEDIATE` serialises writers (a second crawl waits
    for the lock, then sees the first one's rows), `articles.canonical_url` and
    `article_urls.url` are UNIQUE, versions are UNIQUE per (article, version), and every insert
    is `INSERT … ON CONFLICT`, so a repeated, concurrent or restarted crawl cannot add a row.

    The store knows no listener by name: its owner passes them in (the storage pipeline builds
    them from the RASAD_STORE_LISTENERS setting, as Scrapy builds ITEM_PIPELINES)."""

    def __init__(
        self, db: sqlite_utils.Database, listeners: Sequence[ArticleListener] = (),
        material_change: float = DEFAULT_MATERIAL_CHANGE,
        *, cache_kib: int = 32768, mmap_bytes: int = 2147483648,
    ) -> None:
        self.db = db
        self.listeners = list(listeners)
        self.material_change = material_change
        self.bands = BandIndex(db.conn)  # near-duplicate index; its recent level in memory
        # Band and URL probes read pages all over a large file: keep the interior pages cached
        # and read the rest through mmap (no read() call per page). Both count in the process's
        # resident memory as the file grows: a crawl asks for less (crawler/components/
        # pipelines.py) so its footprint stays flat; bulk loads keep these.
        db.conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        db.conn.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}")

    def add(
        self, article: Article, key: str, aliases: Iterable[str] = (), run_id: int | None = None,
        *, fetched_key: str | None = None, source_modified: str | None = None,
        text: Text | None = None, prepared: Sequence[Any] | None = None,
    ) -> AddResult:
        """Store `article` under canonical `key` with its URL `aliases`, in one transaction.

        `fetched_key` is the canonical form of the URL actually fetched, when `key` came from
        the page's own canonical link: if that link names a stored article with an unrelated
        text, the link is wrong and the page is stored under `fetched_key` instead.
        `source_modified` is the sitemap/feed date that made the spider refetch the page.
        `text` (`Text.of(article.body)`) and `prepared` (the listeners' `prepare(article)`
        values, in listener order, None where a listener has none) may come computed already,
        from a worker process; whatever is missing is computed here."""
        text = text or Text.of(article.body)  # CPU work before taking the write lock
        with transaction(self.db) as conn:
            return self.write(conn, article, key, aliases, run_id=run_id, text=text,
                              fetched_key=fetched_key, source_modified=source_modified,
                              prepared=prepared)

    def write(
        self, conn: sqlite3.Connection, article: Article, key: str, aliases: Iterable[str] = (),
        *, run_id: int | None = None, text: Text | None = None, fetched_key: str | None = None,
        source_modified: str | None = None, seen: str | None = None,
        prepared: Sequence[Any] | None = None,
    ) -> AddResult:
        """`add()` inside the caller's transaction (bulk loads write many articles per one)."""
        seen = seen or now_iso()
        text = text or Text.of(article.body)
        self.bands.sync(conn)
        urls = {key, *aliases}
        found = self._resolve(conn, key, urls, fetched_key, text)
        if found is None and fetched_key and fetched_key != key and _found_by(conn, [key]):
            key, urls = fetched_key, urls - {key}  # the canonical link named another article
        story = None
        if found is None:
            story = stories.match(conn, text, article.outlet, self.bands)
            if story is not None and story.exact and story.outlet == article.outlet:
                found = story.article_id  # the same text under another URL: the same article
        if found is None:
            result = self._insert(conn, article, key, text, story, run_id, seen, source_modified,
                                  prepared)
        else:
            result = self._refetched(conn, found, article, text, run_id, seen, source_modified,
                                     prepared)
        conn.executemany(
            "INSERT INTO article_urls (url, article_id, outlet, first_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO NOTHING",
            [(u, result.article_id, article.outlet, seen) for u in sorted(urls)],
        )
        return result

    # --- the three outcomes -----------------------------------------------------------------
    def _resolve(self, conn: sqlite3.Connection, key: str, urls: set[str],
                 fetched_key: str | None, text: Text) -> int | None:
        """The stored article these URLs name, if any. A page reached by a URL of its own is that
        article; one named only by its canonical link must also have a related text."""
        hits = _found_by(conn, urls)
        via_fetched = sorted(aid for url, aid in hits if url != key)
        if via_fetched:
            return via_fetched[0]
        via_key = [aid for url, aid in hits if url == key]
        if not via_key:
            return None
        if not fetched_key or fetched_key == key:
            return via_key[0]
        row = conn.execute("SELECT content_hash, fingerprint FROM articles WHERE id = ?",
                           via_key).fetchone()
        if row[0] == text.hash:
            return via_key[0]
        if row[1] is not None and text.signature is not None and \
                fp.similarity(row[1], text.signature) >= fp.NEAR_DUPLICATE:
            return via_key[0]  # a corrected text reached through a new URL shape
        return None

    def _insert(self, conn: sqlite3.Connection, article: Article, key: str, text: Text,
                story: Match | None, run_id: int | None, seen: str,
                source_modified: str | None, prepared: Sequence[Any] | None = None) -> AddResult:
        row = _row(article, text, seen, canonical_url=key, first_seen=seen, run_id=run_id,
                   story_id=story.story_id if story else None, version=1, updated=None,
                   source_modified=source_modified)
        cursor = conn.execute(_INSERT, [row[c] for c in _COLUMNS])
        inserted = cursor.fetchone()
        if inserted is None:  # the key is stored but was not among article_urls: same article
            existing = conn.execute("SELECT id FROM articles WHERE canonical_url = ?",
                                    (key,)).fetchone()[0]
            return self._refetched(conn, existing, article, text, run_id, seen, source_modified,
                                   prepared)
        article_id = inserted[0]
        story_id = story.story_id if story else article_id
        self.bands.add(conn, article_id, text.signature, text.keys)
        self._notify(conn, article_id, article, "new", prepared)
        return AddResult(article_id, "new", story_id, 1)

    def _refetched(self, conn: sqlite3.Connection, article_id: int, article: Article, text: Text,
                   run_id: int | None, seen: str, source_modified: str | None,
                   prepared: Sequence[Any] | None = None) -> AddResult:
        """A stored article met again: the same text (duplicate) or a new version."""
        old = conn.execute(
            "SELECT content_hash, title, body, version, fingerprint, story_id, first_seen, run_id "
            "FROM articles WHERE id = ?", (article_id,)).fetchone()
        old_hash = old[0] or Text.of(old[2]).hash
        story_id = old[5] if old[5] is not None else article_id
        if old_hash == text.hash:
            conn.execute(
                "UPDATE articles SET last_seen = ?, last_fetched = ?, source_modified = "
                "max(coalesce(source_modified, ''), coalesce(?, '')) WHERE id = ?",
                (seen, seen, source_modified, article_id))
            return AddResult(article_id, "duplicate", story_id, old[3])
        words = text.words if text.words is not None else fp.normalized_tokens(article.body)
        change = versions.measure(fp.normalized_tokens(old[2]), words)
        material = change.changed >= self.material_change
        version = old[3] + 1
        if old[3] == 1:  # the first change: keep the text first stored as version 1
            versions.record(conn, article_id, 1, old[6], old[1], old[2], old_hash, run_id=old[7])
        versions.record(conn, article_id, version, seen, article.title, article.body, text.hash,
                        change, material, run_id)
        row = _row(article, text, seen, version=version, updated=seen,
                   source_modified=source_modified)
        conn.execute(_UPDATE, [*(row[c] for c in _UPDATED), article_id])
        self.bands.replace(conn, article_id, old[4], text.signature)
        status = "updated" if material else "revised"
        self._notify(conn, article_id, article, status, prepared)
        return AddResult(article_id, status, story_id, version, change.changed)

    def _notify(self, conn: sqlite3.Connection, article_id: int, article: Article,
                status: str, prepared: Sequence[Any] | None = None) -> None:
        prepared = prepared or ()
        for i, listener in enumerate(self.listeners):
            value = prepared[i] if i < len(prepared) else None
            if value is None:
                listener.article_written(conn, article_id, article, status)
            else:
                listener.article_written(  # type: ignore[call-arg]
                    conn, article_id, article, status, prepared=value)

    # --- upkeep and reads -------------------------------------------------------------------
    def backfill(self, batch: int = 500) -> int:
        """Hash, fingerprint and assign stories to articles stored before deduplication existed
        (oldest first, so the earliest copy of a story is its root). Returns how many."""
        # Almost always none (index articles_unhashed): then no write transaction and no band
        # sync (each crawl's spiders open the store; an unchanged re-crawl writes no article).
        if self.db.conn.execute(
                "SELECT 1 FROM articles WHERE content_hash IS NULL LIMIT 1").fetchone() is None:
            return 0
        done = 0
        while True:
            with transaction(self.db) as conn:
                self.bands.sync(conn)
                rows = conn.execute(
                    "SELECT id, body FROM articles WHERE content_hash IS NULL ORDER BY id LIMIT ?",
                    (batch,)).fetchall()
                for article_id, body in rows:
                    text = Text.of(body)
                    match = stories.match(conn, text, "", self.bands)
                    conn.execute(
                        "UPDATE articles SET content_hash = ?, fingerprint = ?, story_id = ? "
                        "WHERE id = ?", (text.hash, text.signature,
                                         match.story_id if match else article_id, article_id))
                    self.bands.replace(conn, article_id, None, text.signature)
            done += len(rows)
            if len(rows) < batch:
                return done

    def add_aliases(self, shapes: dict[str, set[str]]) -> None:
        """More URLs of stored articles (store key → URLs that name it): kept as aliases, like
        the URLs an article was fetched by. Keys not stored (a page that failed) are skipped."""
        seen = now_iso()
        rows = [(url, seen, key) for key in sorted(shapes) for url in sorted(shapes[key])]
        with transaction(self.db) as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO article_urls (url, article_id, outlet, first_seen) "
                "SELECT ?, article_id, outlet, ? FROM article_urls WHERE url = ?", rows)

    def revisit_marks(self, outlet: str) -> dict[str, str]:
        return revisit_marks(self.db.conn, outlet)

    def count(self, outlet: str | None = None) -> int:
        if outlet is None:
            return self.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return self.db.conn.execute(
            "SELECT count(*) FROM articles WHERE outlet = ?", (outlet,)
        ).fetchone()[0]


def _found_by(conn: sqlite3.Connection, urls: Iterable[str]) -> list[tuple[str, int]]:
    urls = list(urls)
    marks = ", ".join("?" for _ in urls)
    return conn.execute(
        f"SELECT url, article_id FROM article_urls WHERE url IN ({marks})", urls).fetchall()


def revisit_marks(conn: sqlite3.Connection, outlet: str) -> dict[str, str]:
    """URL → the newer of (last fetch, last source date acted on), UTC ISO, for every URL stored
    for `outlet`: a sitemap or feed date newer than this means the page changed since."""
    rows = conn.execute(
        "SELECT u.url, max(coalesce(a.last_fetched, a.last_seen), "
        "coalesce(a.source_modified, '')) FROM article_urls u "
        "JOIN articles a ON a.id = u.article_id WHERE u.outlet = ?", (outlet,))
    return dict(rows.fetchall())
