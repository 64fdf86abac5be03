"""`make demo`: serve the offline mirror on loopback, crawl it twice into demo-data/rasad.db,
and print what was stored. The second pass shows that nothing is stored or fetched twice."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.dev import demo_alerts as alerts_demo
from crawler.dev.mirror import Mirror

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "demo-data"


def _rasad(*args: str) -> None:
    exe = Path(sys.executable).parent / "rasad"
    print(f"$ rasad {' '.join(args)}", flush=True)
    subprocess.run([str(exe), *args], check=True, cwd=ROOT)


def main() -> int:
    if DATA.exists():
        shutil.rmtree(DATA)
    DATA.mkdir()
    db = DATA / "rasad.db"
    with Mirror() as mirror:
        print("offline mirror on loopback:")
        for outlet_id, origin in mirror.origins.items():
            print(f"  {outlet_id:<16} {origin}")
        origins = [a for o, u in mirror.origins.items() for a in ("--origin", f"{o}={u}")]
        crawl = ["crawl", "--config", "config/mirror.toml", *origins, "--db", str(db)]
        print("\n== first crawl (baseline) ==")
        _rasad(*crawl)
        print("\n== second crawl: nothing new, no article fetched again ==")
        _rasad(*crawl)
        print("\n== the mirror publishes 2 partnership stories (one also on a 2nd outlet) and a "
              "hard negative; third crawl ==")
        alerts_demo.publish(mirror)
        _rasad(*crawl)
        print("\n== a backfill: a new store, `--alert-backfill` on one outlet: one digest ==")
        backfill = DATA / "backfill"
        backfill.mkdir()
        _rasad("crawl", "--config", "config/mirror.toml", *origins, "--outlet", "alqaed",
               "--alert-backfill", "--db", str(backfill / "rasad.db"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        print("\n== stored articles per outlet ==")
        for outlet, count, dated in conn.execute(
            "SELECT outlet, count(*), sum(published IS NOT NULL) FROM articles "
            "GROUP BY outlet ORDER BY outlet"
        ):
            print(f"  {outlet:<16} {count:>4} articles ({dated} dated)")
        print("\n== latest articles ==")
        for outlet, published, title in conn.execute(
            "SELECT outlet, published, title FROM articles ORDER BY published DESC LIMIT 5"
        ):
            print(f"  {published or '?':<10}  {outlet:<15} {title}")
    print("\n== alerts fired (JSON Lines channel: demo-data/alerts.jsonl) ==")
    alerts_demo.show(db, DATA / "alerts.jsonl")
    print("\n== the backfill's digest (demo-data/backfill/alerts.jsonl) ==")
    alerts_demo.show(DATA / "backfill" / "rasad.db", DATA / "backfill" / "alerts.jsonl")
    print(f"\ndatabase: {db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
