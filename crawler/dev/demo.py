"""`make demo`: serve the offline mirror on loopback standing in for the outlets' real origins,
crawl it twice into demo-data/rasad.db (the store keeps the articles' real URLs), and print what
was stored and the command that opens the web view. The second pass shows that nothing is stored
or fetched twice."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.config.outlets import load_config
from crawler.dev import demo_alerts as alerts_demo
from crawler.dev.mirror import Mirror

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "demo-data"


def _rasad(*args: str, env: dict[str, str] | None = None) -> None:
    exe = Path(sys.executable).parent / "rasad"
    print(f"$ rasad {' '.join(args)}", flush=True)
    subprocess.run([str(exe), *args], check=True, cwd=ROOT, env={**os.environ, **(env or {})})


def _real_origins() -> dict[str, str]:
    """Outlet → the origin of its real home page (config/outlets.toml)."""
    config = load_config(ROOT / "config" / "outlets.toml")
    return {o.id: o.origin for o in config.outlets.values()}


def main() -> int:
    if DATA.exists():
        shutil.rmtree(DATA)
    DATA.mkdir()
    db = DATA / "rasad.db"
    with Mirror(public_origins=_real_origins()) as mirror:
        print("offline mirror on loopback, standing in for the outlets' origins:")
        for outlet_id, origin in mirror.origins.items():
            print(f"  {outlet_id:<16} {origin:<28} → {mirror.addresses[outlet_id]}")
        env = {"RASAD_CONNECT_TO": mirror.connect_to}
        crawl = ["crawl", "--config", "config/demo.toml", "--db", str(db)]
        print(f"\n== first crawl (baseline; RASAD_CONNECT_TO={mirror.connect_to}) ==")
        _rasad(*crawl, env=env)
        print("\n== second crawl: nothing new, no article fetched again ==")
        _rasad(*crawl, env=env)
        print("\n== the mirror publishes 2 partnership stories (one also on a 2nd outlet) and a "
              "hard negative; third crawl ==")
        alerts_demo.publish(mirror)
        _rasad(*crawl, env=env)
        print("\n== a backfill: a new store, `--alert-backfill` on one outlet: one digest ==")
        backfill = DATA / "backfill"
        backfill.mkdir()
        _rasad("crawl", "--config", "config/demo.toml", "--outlet", "alqaed",
               "--alert-backfill", "--db", str(backfill / "rasad.db"), env=env)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        print("\n== stored articles per outlet ==")
        for outlet, count, dated in conn.execute(
            "SELECT outlet, count(*), sum(published IS NOT NULL) FROM articles "
            "GROUP BY outlet ORDER BY outlet"
        ):
            print(f"  {outlet:<16} {count:>4} articles ({dated} dated)")
        print("\n== latest articles (their real URLs) ==")
        for outlet, published, title, url in conn.execute(
            "SELECT outlet, published, title, url FROM articles ORDER BY published DESC LIMIT 5"
        ):
            print(f"  {published or '?':<10}  {outlet:<15} {title}\n  {'':<10}  {url}")
    print("\n== alerts fired (JSON Lines channel: demo-data/alerts.jsonl) ==")
    alerts_demo.show(db, DATA / "alerts.jsonl")
    print("\n== the backfill's digest (demo-data/backfill/alerts.jsonl) ==")
    alerts_demo.show(DATA / "backfill" / "rasad.db", DATA / "backfill" / "alerts.jsonl")
    print(f"\ndatabase: {db}")
    print("\nopen the web view (articles, search, partnership map, charts) with:")
    exe = os.path.relpath(Path(sys.executable).parent / "rasad", ROOT)
    print(f"  {exe} serve --db {db.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
