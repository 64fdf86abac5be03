"""Ingest cost: articles/s that ArticleStore.add() (URL resolution, content hash, MinHash, LSH
candidate lookup, insert, aliases, one commit per article, LSH merges) sustains into an empty store
and into a store that already holds RASAD_BENCH_STORE (100,000) articles. Deduplication must
not scan the table, so the ratio full/empty must stay ≥ 0.8.

Articles are synthetic but Arabic: words drawn from the mirror corpus and the dedup test texts
with their corpus frequencies (so common words and bigrams repeat as in news), 250–450 words in
paragraphs. Each measured batch is the same mix for both stores: 85% new articles, 10% reprints
(an intro line + an earlier article of the batch, on another outlet), 5% refetches of a stored
URL with the same text. Both stores take each round's articles in alternating chunks (a busy
machine slows both alike); the ratio is the median of the rounds' ratios. Listeners (search
index, alerts) are left out: their cost is theirs, measured by their own sections.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from crawler.dev.mirror.corpus import OUTLETS, load_outlet
from storage.articles import ArticleStore
from storage.db import connect, transaction
from storage.lsh import merge_size
from storage.record import Article
from storage.stories import Text

STORE_SIZE = int(os.environ.get("RASAD_BENCH_STORE", "100000"))
# One steady-state merge period of the full store (storage/lsh.py: 5% of 100,000).
BATCH = int(os.environ.get("RASAD_BENCH_BATCH", str(merge_size(STORE_SIZE))))
ROUNDS = int(os.environ.get("RASAD_BENCH_INGEST_ROUNDS", "5"))
DEDUP_DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "dedup" / "articles.json"


class Writer:
    """Deterministic synthetic Arabic articles."""

    def __init__(self, seed: int) -> None:
        counts: Counter[str] = Counter()
        for outlet in OUTLETS:
            for a in load_outlet(outlet):
                counts.update(w.strip("«»()،.:؛\"") for p in a.paragraphs for w in p.split())
        if DEDUP_DATA.exists():
            for a in json.loads(DEDUP_DATA.read_text(encoding="utf-8"))["articles"].values():
                counts.update(w.strip("«»()،.:؛\"") for p in a["body"] for w in p.split())
        counts.pop("", None)
        self.words = list(counts)
        self.cum = list(itertools.accumulate(counts.values()))  # choices() is O(n) without it
        self.rng = random.Random(seed)

    def paragraph(self) -> str:
        sentences = []
        for _ in range(self.rng.randint(2, 4)):
            words = self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(12, 26))
            cut = self.rng.randint(4, len(words) - 4)
            sentences.append(" ".join(words[:cut]) + "، " + " ".join(words[cut:]) + ".")
        return " ".join(sentences)

    def body(self) -> str:
        return "\n".join(self.paragraph() for _ in range(self.rng.randint(4, 7)))

    def title(self) -> str:
        k = self.rng.randint(6, 11)
        return " ".join(self.rng.choices(self.words, cum_weights=self.cum, k=k))


def _article(outlet: str, url: str, title: str, body: str) -> Article:
    return Article(url=url, canonical_url=url, outlet=outlet, title=title, body=body,
                   published="2025-07-10", language="ar")


def batch(tag: str, seed: int, size: int = BATCH) -> list[tuple[Article, str]]:
    """The measured workload: (article, key) in ingest order."""
    writer, rng = Writer(seed), random.Random(seed)
    items: list[tuple[Article, str]] = []
    for i in range(size):
        roll = rng.random()
        if items and roll < 0.10:  # a reprint of an earlier article, on another outlet
            source, _ = rng.choice(items)
            url = f"https://alqaed.example/{tag}/r{i}"
            body = "نقلاً عن مصادر صحفية، ننشر التقرير التالي:\n" + source.body
            items.append((_article("alqaed", url, source.title, body), url))
        elif items and roll < 0.15:  # the same URL and text met again
            items.append(rng.choice(items))
        else:
            url = f"https://maseer.example/{tag}/{i}"
            items.append((_article("maseer", url, writer.title(), writer.body()), url))
    return items


def _fill_chunk(first: int, size: int) -> list[tuple[Article, str, Text]]:
    writer = Writer(first)
    items = []
    for i in range(first, first + size):
        url = f"https://centcomcitadel.example/fill/{i}"
        a = _article("centcomcitadel", url, writer.title(), writer.body())
        items.append((a, url, Text.of(a.body)))
    return items


def fill(path: Path, size: int, chunk: int = 1000) -> float:
    """A store of `size` distinct articles through ArticleStore.write, many per transaction
    (texts made by a second process meanwhile); returns seconds."""
    start = time.perf_counter()
    db = connect(path)
    store = ArticleStore(db, listeners=[])
    firsts = range(0, size, chunk)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        for items in pool.imap(_fill_star, [(f, min(chunk, size - f)) for f in firsts]):
            with transaction(db) as conn:
                for a, url, text in items:
                    store.write(conn, a, url, run_id=None, text=text)
    merge(store)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return time.perf_counter() - start


def _fill_star(args: tuple[int, int]) -> list[tuple[Article, str, Text]]:
    return _fill_chunk(*args)


def merge(store: ArticleStore) -> None:
    """Move the LSH delta into the main index now (storage/lsh.py)."""
    with transaction(store.db) as conn:
        store.bands.sync(conn)
        store.bands.merge(conn)


def interleaved(paths: tuple[Path, Path], items: list[tuple[Article, str]],
                chunk: int = 50) -> tuple[list[float], Counter[str]]:
    """Articles/s of ArticleStore.add into each store, one transaction per article as the
    crawl pipeline does. The stores take the same articles in alternating chunks, so a busy
    machine slows both alike. Each ends with one merge of its LSH delta: in steady state a store
    merges once per merge_size() articles and a round is that long, so it pays its share."""
    stores = [ArticleStore(connect(p), listeners=[]) for p in paths]
    seconds = [0.0, 0.0]
    statuses: Counter[str] = Counter()
    for n, first in enumerate(range(0, len(items), chunk)):
        for which in ((0, 1) if n % 2 == 0 else (1, 0)):
            start = time.perf_counter()
            for article, key in items[first:first + chunk]:
                result = stores[which].add(article, key, {key})
                if which == 0:
                    statuses[result.status] += 1
            seconds[which] += time.perf_counter() - start
    for which, store in enumerate(stores):
        start = time.perf_counter()
        merge(store)
        seconds[which] += time.perf_counter() - start
        store.db.conn.close()
    return [len(items) / s for s in seconds], statuses


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.db"
        fill_seconds = fill(full, STORE_SIZE)
        empty_rates, full_rates = [], []
        statuses: Counter[str] = Counter()
        for r in range(ROUNDS):
            empty = Path(tmp) / f"empty-{r}.db"
            connect(empty).conn.close()  # migrations are not ingest
            (empty_rate, full_rate), st = interleaved((empty, full), batch(f"round{r}", 100 + r))
            empty_rates.append(empty_rate)
            full_rates.append(full_rate)
            statuses += st
        size_mb = full.stat().st_size / 1e6
    return {"store": STORE_SIZE, "fill_s": fill_seconds, "size_mb": size_mb,
            "empty": statistics.median(empty_rates), "full": statistics.median(full_rates),
            "ratio": statistics.median(f / e for f, e in zip(full_rates, empty_rates,
                                                             strict=True)),
            "empty_runs": empty_rates, "full_runs": full_rates, "statuses": dict(statuses)}


def main() -> int:
    r = run()
    ratio = r["ratio"]
    print(f"store filled with        {r['store']} articles ({r['size_mb']:.0f} MB, "
          f"{r['fill_s']:.0f} s in bulk)")
    print(f"batch mix (per round)    {BATCH} articles; statuses over {ROUNDS} rounds: "
          f"{r['statuses']}")
    print(f"ingest into empty store  {r['empty']:8.1f} articles/s  (median of {ROUNDS}: "
          f"{', '.join(f'{x:.0f}' for x in r['empty_runs'])})")
    print(f"ingest into {r['store']:>7} store {r['full']:8.1f} articles/s  (median of {ROUNDS}: "
          f"{', '.join(f'{x:.0f}' for x in r['full_runs'])})")
    print(f"ratio full / empty       {ratio:8.2f}  (median of the rounds' ratios; must stay "
          f">= 0.80: {'ok' if ratio >= 0.8 else 'FAILED'})")
    return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
