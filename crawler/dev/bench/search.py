"""Search speed on a store of 100,000 generated articles: index build rate, store size, and the
p50/p95 latency of two-word queries with an outlet filter (ranked, with snippets: what
`rasad search` does), against a naive LIKE scan of the same queries in the same run.

The articles recombine the mirror corpus's ~350 Arabic paragraphs, so every word is far more
frequent than in real news: posting lists are long and queries match thousands of articles
(pessimistic for the index; a LIKE scan for the newest 20 stops early on such common words).
"""
from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from crawler.dev.bench import write_rate
from crawler.dev.mirror.corpus import load_outlet
from storage.db import connect, connect_readonly, transaction
from storage.filters import ArticleFilter
from storage.record import Article
from storage.search import SearchListener, catch_up, search
from storage.search_query import fts_expression

ARTICLES = int(os.environ.get("RASAD_BENCH_SEARCH_ARTICLES", "100000"))
QUERIES = int(os.environ.get("RASAD_BENCH_SEARCH_QUERIES", "100"))
ROUNDS = 3
OUTLETS = ("centcomcitadel", "maseer", "alqaed")
WRITE_SAMPLE = 1000  # articles written through ArticleStore with and without the listener


def _corpus() -> list[str]:
    paragraphs = []
    for outlet in OUTLETS:
        for article in load_outlet(outlet):
            paragraphs += [p for p in article.body if not p.startswith("## ") and len(p) > 40]
    return paragraphs


def _articles(rng: random.Random, paragraphs: list[str], n: int, tag: str) -> list[Article]:
    start = date(2024, 1, 1)
    out = []
    for i in range(n):
        words = rng.choice(paragraphs).split()
        body = "\n".join(rng.sample(paragraphs, rng.randint(8, 14)))
        outlet = rng.choice(OUTLETS)
        url = f"https://{outlet}.bench/{tag}/{i}"
        day = start + timedelta(days=rng.randrange(700))
        out.append(Article(url=url, canonical_url=url, outlet=outlet,
                           title=" ".join(words[:rng.randint(6, 11)]), body=body,
                           published=day.isoformat()))
    return out


def _bulk_insert(db_path: Path, articles: list[Article]) -> None:
    db = connect(db_path)
    now = "2025-01-01T00:00:00Z"
    rows = [(a.outlet, a.url, a.canonical_url, a.title, a.body, a.published, now, now)
            for a in articles]
    for i in range(0, len(rows), 5000):
        with transaction(db) as conn:
            conn.executemany(
                "INSERT INTO articles (outlet, url, canonical_url, title, body, published, "
                "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows[i:i + 5000])
    db.conn.close()


def _size(db_path: Path) -> int:
    db = connect(db_path)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*"))


def _queries(rng: random.Random, paragraphs: list[str]) -> list[tuple[str, str, str]]:
    out = []
    while len(out) < QUERIES:
        words = [w.strip("،.:؛\"()") for w in rng.choice(paragraphs).split()]
        words = [w for w in words if len(w) >= 4 and w.isalpha()]
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            out.append((words[i], words[i + 1], rng.choice(OUTLETS)))
    return out


def _like(conn: object, w1: str, w2: str, outlet: str, newest: bool) -> int:
    """The naive alternative: a substring scan (no folding, so no variants or diacritic forms).
    Ranking or counting needs every match (a full scan of the outlet's rows); showing the newest
    20 can stop early when the words are common."""
    where = ("FROM articles WHERE outlet = ? AND (title LIKE ? OR body LIKE ?) "
             "AND (title LIKE ? OR body LIKE ?)")
    sql = (f"SELECT id {where} ORDER BY published DESC LIMIT 20" if newest
           else f"SELECT count(*) {where}")
    p1, p2 = f"%{w1}%", f"%{w2}%"
    return len(conn.execute(sql, (outlet, p1, p1, p2, p2)).fetchall())  # type: ignore


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def run(workdir: Path) -> dict[str, float]:
    rng = random.Random(7)
    paragraphs = _corpus()
    db_path = workdir / "bench.db"
    t0 = time.perf_counter()
    _bulk_insert(db_path, _articles(rng, paragraphs, ARTICLES, "bulk"))
    insert_s = time.perf_counter() - t0
    size_plain = _size(db_path)
    db = connect(db_path)
    t0 = time.perf_counter()
    indexed = catch_up(db, batch=2000)
    index_s = time.perf_counter() - t0
    db.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    db.conn.close()
    size_indexed = _size(db_path)

    conn = connect_readonly(db_path).conn
    queries = _queries(rng, paragraphs)
    fts_ms: list[float] = []
    newest_ms: list[float] = []
    scan_ms: list[float] = []
    for round_ in range(ROUNDS + 1):  # round 0 warms the page cache
        for w1, w2, outlet in queries:
            t0 = time.perf_counter()
            search(conn, f"{w1} {w2}", ArticleFilter(outlets=[outlet]), limit=20)
            t1 = time.perf_counter()
            _like(conn, w1, w2, outlet, newest=True)
            t2 = time.perf_counter()
            if round_:
                fts_ms.append((t1 - t0) * 1000)
                newest_ms.append((t2 - t1) * 1000)
    for w1, w2, outlet in queries:  # one round: a full scan per query
        t0 = time.perf_counter()
        _like(conn, w1, w2, outlet, newest=False)
        scan_ms.append((time.perf_counter() - t0) * 1000)
    matches = [conn.execute(
        "SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? AND a.outlet = ?",
        (fts_expression(f"{w1} {w2}"), outlet)).fetchone()[0]
        for w1, w2, outlet in queries]
    conn.close()

    sample = _articles(random.Random(11), paragraphs, WRITE_SAMPLE, "w")
    with_index = write_rate(connect(workdir / "w1.db"), sample, [SearchListener()])
    without = write_rate(connect(workdir / "w2.db"), sample, [])
    fts_p50, fts_p95 = _percentiles(fts_ms)
    scan_p50, scan_p95 = _percentiles(scan_ms)
    newest_p50, newest_p95 = _percentiles(newest_ms)
    return {
        "articles": ARTICLES, "insert_s": insert_s, "indexed": indexed, "index_s": index_s,
        "size_plain_mb": size_plain / 1e6, "size_mb": size_indexed / 1e6,
        "queries": len(queries), "samples": len(fts_ms),
        "fts_p50": fts_p50, "fts_p95": fts_p95, "scan_p50": scan_p50, "scan_p95": scan_p95,
        "newest_p50": newest_p50, "newest_p95": newest_p95,
        "matches_median": statistics.median(matches), "matches_max": max(matches),
        "write_with": with_index, "write_without": without,
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rasad-bench-search-") as tmp:
        r = run(Path(tmp))
    print(f"store                    {r['articles']:,} generated articles "
          f"(bulk insert {r['insert_s']:.0f} s)")
    print(f"index build (catch-up)   {r['indexed'] / r['index_s']:8.0f} articles/s "
          f"({r['index_s']:.0f} s)")
    print(f"store size               {r['size_mb']:8.0f} MB  (without the index "
          f"{r['size_plain_mb']:.0f} MB: x{r['size_mb'] / r['size_plain_mb']:.2f})")
    print(f"two-word query + outlet  p50 {r['fts_p50']:6.1f} ms   p95 {r['fts_p95']:6.1f} ms  "
          f"({r['queries']} queries x {ROUNDS}, ranked, 20 results with snippets; "
          f"matches per query: median {r['matches_median']:.0f}, max {r['matches_max']})")
    print(f"baseline: LIKE, all      p50 {r['scan_p50']:6.1f} ms   p95 {r['scan_p95']:6.1f} ms  "
          "(every match, as ranking or a count needs; no folding)")
    print(f"ratio LIKE / search      p50 {r['scan_p50'] / r['fts_p50']:6.1f}x   "
          f"p95 {r['scan_p95'] / r['fts_p95']:6.1f}x")
    print(f"LIKE, newest 20          p50 {r['newest_p50']:6.1f} ms   p95 "
          f"{r['newest_p95']:6.1f} ms  (stops early on these common words; unranked)")
    print(f"target p95 < 50 ms       {'met' if r['fts_p95'] < 50 else 'NOT MET'}")
    print(f"write path (ArticleStore.add, {WRITE_SAMPLE} articles)  with index "
          f"{r['write_with']:.0f}/s, without {r['write_without']:.0f}/s "
          f"(ratio {r['write_with'] / r['write_without']:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
