"""Crawl throughput: rasad end to end (discovery, extraction, storage) against a bare Scrapy
fetch of exactly the pages rasad fetched, on a generated mirror of more than 1,000 articles.
Both run as child processes, alternately, several times; medians are compared."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.dev.mirror import Mirror

ROOT = Path(__file__).resolve().parents[3]
SCALE = int(os.environ.get("RASAD_BENCH_SCALE", "340"))  # per outlet, on top of the corpus
ROUNDS = int(os.environ.get("RASAD_BENCH_ROUNDS", "3"))
CONCURRENCY = 8  # as config/mirror.toml


def _rasad_crawl(mirror: Mirror, db: Path) -> dict:
    origins = [a for o, u in mirror.origins.items() for a in ("--origin", f"{o}={u}")]
    exe = Path(sys.executable).parent / "rasad"
    out = subprocess.run(
        [str(exe), "crawl", "--config", str(ROOT / "config" / "mirror.toml"), *origins,
         "--db", str(db), "--json"], check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    import sqlite3

    with sqlite3.connect(db) as conn:
        stats = [json.loads(s) for (s,) in conn.execute("SELECT stats FROM crawl_runs")]
    pages = sum(s.get("response_received_count", 0) for s in stats)
    elapsed = max(s.get("elapsed_time_seconds", 0) for s in stats)
    return {"pages": pages, "seconds": elapsed,
            "articles": sum(r["articles_new"] for r in rows)}


def _bare_crawl(urls_file: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "crawler.dev.bench.bare", str(urls_file),
                          str(CONCURRENCY)], check=True, capture_output=True, text=True,
                         cwd=ROOT).stdout
    stats = json.loads(out.strip().splitlines()[-1])
    return {"pages": stats.get("response_received_count", 0),
            "seconds": stats.get("elapsed_time_seconds", 0)}


def run() -> dict:
    full, bare = [], []
    with Mirror(scale=SCALE, faults=False) as mirror, tempfile.TemporaryDirectory() as tmp:
        total = sum(len(mirror.expected_articles(o)) for o in mirror.origins)
        urls_file = Path(tmp) / "urls.txt"
        for round_no in range(ROUNDS):
            mirror.reset_log()
            result = _rasad_crawl(mirror, Path(tmp) / f"bench-{round_no}.db")
            full.append(result)
            if round_no == 0:
                urls = [mirror.origins[r["outlet"]] + r["path"] for r in mirror.requests
                        if r["path"] != "/robots.txt"]
                urls_file.write_text("\n".join(urls))
            bare.append(_bare_crawl(urls_file))
    rate = [r["pages"] / r["seconds"] for r in full]
    ceiling = [r["pages"] / r["seconds"] for r in bare]
    return {"articles_in_mirror": total, "articles_stored": full[0]["articles"],
            "pages": full[0]["pages"], "rasad_pages_s": statistics.median(rate),
            "bare_pages_s": statistics.median(ceiling),
            "ratio": statistics.median(rate) / statistics.median(ceiling),
            "rounds": ROUNDS, "rasad_runs": rate, "bare_runs": ceiling}


def main() -> int:
    r = run()
    print(f"mirror articles          {r['articles_in_mirror']}")
    print(f"stored by rasad          {r['articles_stored']}  (pages fetched {r['pages']})")
    print(f"rasad end to end         {r['rasad_pages_s']:8.1f} pages/s  (median of {r['rounds']}:"
          f" {', '.join(f'{x:.0f}' for x in r['rasad_runs'])})")
    print(f"bare Scrapy (ceiling)    {r['bare_pages_s']:8.1f} pages/s  (median of {r['rounds']}:"
          f" {', '.join(f'{x:.0f}' for x in r['bare_runs'])})")
    print(f"ratio rasad / ceiling    {r['ratio']:8.2f}")
    return 0
