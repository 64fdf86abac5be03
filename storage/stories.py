"""Stories: which stored article a new text repeats, exactly (content hash) or nearly (MinHash
LSH bands). Every lookup is an index probe — the primary key of `article_bands` and the
in-memory delta of storage/lsh.py — so its cost does not grow with the number of stored
articles."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from storage import fingerprint as fp
from storage.lsh import BandIndex

# A band key shared by very many articles (boilerplate-only texts) must not make one lookup read
# them all: the best-sharing candidates are kept, the rest ignored.
MAX_CANDIDATES = 100


@dataclass(frozen=True)
class Text:
    """What deduplication needs of one body, computed once, outside the write lock."""

    words: list[str] | None  # None: dropped to travel light (`compact`); recomputed if needed
    hash: str
    signature: bytes | None  # None: too short to compare
    # fp.band_keys(signature), made with it (in a crawl's worker process: ~65 µs of Python a
    # text, which the crawl process would otherwise spend under the write lock)
    bands: tuple[int, ...] | None = None

    @classmethod
    def of(cls, body: str) -> Text:
        words = fp.normalized_tokens(body)
        signature = fp.signature(words)
        return cls(words, fp.content_hash(words), signature,
                   None if signature is None else fp.band_keys(signature))

    def compact(self) -> Text:
        """Without the word list: what a worker process sends back (only a changed text of a
        stored article needs the words again)."""
        return Text(None, self.hash, self.signature, self.bands)

    @property
    def keys(self) -> tuple[int, ...] | None:
        """The signature's band keys (None without a signature)."""
        if self.signature is None:
            return None
        return self.bands if self.bands is not None else fp.band_keys(self.signature)


@dataclass(frozen=True)
class Match:
    article_id: int
    story_id: int
    outlet: str
    score: float  # the estimated Jaccard similarity (1.0 for the same text)
    exact: bool  # the same normalised text (content hash)


def match(conn: sqlite3.Connection, text: Text, outlet: str, bands: BandIndex,
          threshold: float = fp.NEAR_DUPLICATE) -> Match | None:
    """The stored article `text` repeats: the same text on `outlet` first (the same article
    under another URL), else the same text elsewhere (a verbatim reprint), else the most similar
    one at or above `threshold` (a near reprint). Candidates come from the LSH bands, where an
    identical text shares every band, so exact duplicates need no index of their own."""
    if text.signature is None:
        return None
    found = []
    for article_id, story_id, other, stored, digest in bands.candidates(
            conn, text.signature, MAX_CANDIDATES, text.keys):
        exact = digest == text.hash
        score = 1.0 if exact else fp.similarity(text.signature, stored)
        if score >= threshold:
            found.append(Match(article_id, story_id, other, score, exact))
    if not found:
        return None
    # same text and outlet, then same text, then the most similar; the oldest on ties
    return min(found, key=lambda m: (not (m.exact and m.outlet == outlet), not m.exact,
                                     -m.score, m.article_id))


