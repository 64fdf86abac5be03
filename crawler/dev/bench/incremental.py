"""Re-crawl of an unchanged site: conditional (validators, 304s, sitemap lastmod) against the
same re-crawl with RASAD_CONDITIONAL=0 (every entry point read and parsed again; stored
articles are skipped either way), on a generated mirror of more than 1,000 articles. Both run as
`rasad crawl` child processes, alternately, several times; medians are compared."""
from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.dev.bench.measure import BYTECODE_ENV
from crawler.dev.mirror import Mirror
from storage.db import connect

ROOT = Path(__file__).resolve().parents[3]
SCALE = int(os.environ.get("RASAD_BENCH_SCALE", "340"))
ROUNDS = int(os.environ.get("RASAD_BENCH_ROUNDS", "3"))


def _crawl(mirror: Mirror, db: Path, conditional: bool) -> dict:
    origins = [a for o, u in mirror.origins.items() for a in ("--origin", f"{o}={u}")]
    env = {**os.environ, **BYTECODE_ENV, "RASAD_CONDITIONAL": "1" if conditional else "0",
           "RASAD_PROGRESS": "off"}
    with sqlite3.connect(db) as conn:
        last = conn.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]
    mirror.reset_log()
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "rasad"), "crawl", "--config",
                    str(ROOT / "config" / "mirror.toml"), *origins, "--db", str(db), "--json"],
                   check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT requests, responses_304, stats FROM crawl_runs "
                            "WHERE id > ?", (last,)).fetchall()
    return {"requests": len(mirror.requests), "recorded": sum(r[0] for r in rows),
            "answered_304": sum(r[1] for r in rows),
            "bytes": sum(json.loads(r[2]).get("downloader/response_bytes", 0) for r in rows),
            "crawl_s": max(json.loads(r[2]).get("elapsed_time_seconds", 0) for r in rows),
            "wall_s": wall}


def run() -> dict:
    with Mirror(scale=SCALE, faults=False) as mirror, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        connect(db).conn.close()  # the schema, so each round can find its own runs
        baseline = _crawl(mirror, db, conditional=True)
        total = sum(len(mirror.expected_articles(o)) for o in mirror.origins)
        cond, full = [], []
        for _ in range(ROUNDS):
            cond.append(_crawl(mirror, db, conditional=True))
            full.append(_crawl(mirror, db, conditional=False))
    med = {k: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
           for k, runs in (("conditional", cond), ("full", full))}
    return {"articles": total, "baseline": baseline, **med, "rounds": ROUNDS}


def main() -> int:
    r = run()
    b, c, f = r["baseline"], r["conditional"], r["full"]
    print(f"mirror articles               {r['articles']}  (first crawl: {b['requests']} requests,"
          f" {b['crawl_s']:.1f} s)")
    print(f"unchanged re-crawl, 304s      {c['requests']:6.0f} requests ({c['answered_304']:.0f}"
          f" answered 304), {c['bytes'] / 1024:8.0f} KiB, crawl {c['crawl_s']:5.2f} s,"
          f" process {c['wall_s']:5.2f} s")
    print(f"same, RASAD_CONDITIONAL=0     {f['requests']:6.0f} requests,"
          f" {f['bytes'] / 1024:8.0f} KiB, crawl {f['crawl_s']:5.2f} s,"
          f" process {f['wall_s']:5.2f} s")
    print(f"ratio conditional / full      requests {c['requests'] / f['requests']:.2f},"
          f" bytes {c['bytes'] / max(f['bytes'], 1):.3f}, crawl time"
          f" {c['crawl_s'] / max(f['crawl_s'], 1e-9):.2f}  (medians of {r['rounds']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
