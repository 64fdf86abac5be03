"""Stories: which stored article a new text repeats, exactly (content hash) or nearly (MinHash
LSH bands). Every lookup is an index probe — `articles(content_hash)` and the primary key of
`article_bands` — so its cost does not grow with the number of stored articles."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from storage import fingerprint as fp

# A band key shared by very many articles (boilerplate-only texts) must not make one lookup read
# them all: the best-sharing candidates are kept, the rest ignored.
MAX_CANDIDATES = 100


@dataclass(frozen=True)
class Text:
    """What deduplication needs of one body, computed once, outside the write lock."""

    words: list[str]
    hash: str
    signature: bytes | None  # None: too short to compare

    @classmethod
    def of(cls, body: str) -> Text:
        words = fp.normalized_tokens(body)
        return cls(words, fp.content_hash(words), fp.signature(words))


@dataclass(frozen=True)
class Match:
    article_id: int
    story_id: int
    outlet: str
    score: float  # 1.0 for the same text, else the estimated Jaccard similarity


def exact_match(conn: sqlite3.Connection, text: Text, outlet: str) -> Match | None:
    """A stored article with the same normalised body; one of `outlet` first (the same article
    under another URL), else the oldest elsewhere (a verbatim reprint)."""
    row = conn.execute(
        "SELECT id, coalesce(story_id, id), outlet FROM articles WHERE content_hash = ? "
        "ORDER BY outlet = ? DESC, id LIMIT 1", (text.hash, outlet),
    ).fetchone()
    return Match(row[0], row[1], row[2], 1.0) if row else None


def near_match(conn: sqlite3.Connection, signature: bytes,
               threshold: float = fp.NEAR_DUPLICATE) -> Match | None:
    """The most similar stored article at or above `threshold`, found through the LSH bands."""
    keys = fp.band_keys(signature)
    marks = ", ".join("?" for _ in keys)
    candidates = [r[0] for r in conn.execute(
        f"SELECT article_id FROM article_bands WHERE band_key IN ({marks}) "
        "GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT ?",
        [*keys, MAX_CANDIDATES],
    )]
    if not candidates:
        return None
    marks = ", ".join("?" for _ in candidates)
    best: Match | None = None
    for article_id, story_id, outlet, stored in conn.execute(
        f"SELECT id, coalesce(story_id, id), outlet, fingerprint FROM articles "
        f"WHERE id IN ({marks}) AND fingerprint IS NOT NULL ORDER BY id", candidates,
    ):
        score = fp.similarity(signature, stored)
        if score >= threshold and (best is None or score > best.score):
            best = Match(article_id, story_id, outlet, score)
    return best


def index(conn: sqlite3.Connection, article_id: int, signature: bytes | None) -> None:
    if signature is None:
        return
    conn.executemany(
        "INSERT INTO article_bands (band_key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(k, article_id) for k in fp.band_keys(signature)],
    )


def unindex(conn: sqlite3.Connection, article_id: int, signature: bytes | None) -> None:
    if signature is None:
        return
    conn.executemany(
        "DELETE FROM article_bands WHERE band_key = ? AND article_id = ?",
        [(k, article_id) for k in fp.band_keys(signature)],
    )


def story_articles(conn: sqlite3.Connection, story_id: int) -> list[int]:
    """Ids of the articles of one story, oldest first."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE story_id = ? ORDER BY id", (story_id,))]
