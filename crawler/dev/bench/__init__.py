"""`make bench`: every benchmark section, each printing figures and ratios against a baseline
measured in the same run. `python -m crawler.dev.bench [section ...]` runs some of them."""
from __future__ import annotations

import time
from collections.abc import Sequence

import sqlite_utils

from storage.articles import ArticleListener, ArticleStore
from storage.record import Article


def write_rate(db: sqlite_utils.Database, articles: Sequence[Article],
               listeners: Sequence[ArticleListener]) -> float:
    """Articles per second ArticleStore.add() writes into `db` with `listeners`; closes `db`."""
    store = ArticleStore(db, listeners)
    start = time.perf_counter()
    for a in articles:
        store.add(a, a.canonical_url)
    rate = len(articles) / (time.perf_counter() - start)
    db.conn.close()
    return rate
