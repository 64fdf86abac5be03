"""Worker mode: one, two and three `rasad crawl --redis` workers with one `rasad ingest` writer on
the same generated mirror, against the single-process `rasad crawl` (the baseline).

Each run starts from an empty store and an empty Redis database. Times are wall clock, end to
end, processes' start-up included: for the single crawl from its launch to its exit; for the
workers from their launch (the writer is already up) until they have exited and the writer has
written everything. The writer's articles/s is over the time it spent writing (its capacity),
not its waits for the workers."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from crawler.dev.mirror import Mirror

ROOT = Path(__file__).resolve().parents[3]
SCALE = int(os.environ.get("RASAD_BENCH_SCALE", "340"))  # per outlet, on top of the corpus
WORKERS = [int(n) for n in os.environ.get("RASAD_BENCH_WORKERS", "1,2,3").split(",")]
RASAD = str(Path(sys.executable).parent / "rasad")
CONFIG = str(ROOT / "config" / "mirror.toml")


def _origins(mirror: Mirror) -> list[str]:
    return [a for o, u in mirror.origins.items() for a in ("--origin", f"{o}={u}")]


def _single(mirror: Mirror, db: Path) -> dict:
    started = time.monotonic()
    subprocess.run([RASAD, "crawl", "--config", CONFIG, *_origins(mirror), "--db", str(db),
                    "--json"], check=True, capture_output=True, cwd=ROOT)
    wall = time.monotonic() - started
    with sqlite3.connect(db) as conn:
        stats = [json.loads(s) for (s,) in conn.execute("SELECT stats FROM crawl_runs")]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    pages = sum(s.get("response_received_count", 0) for s in stats)
    return {"pages": pages, "seconds": wall, "articles": articles}


def _redis(folder: Path) -> tuple[subprocess.Popen, str]:
    exe = shutil.which("redis-server")
    if not exe:
        raise SystemExit("redis-server is needed (make bench installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--dir",
                             str(folder), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}"


def _drained(client: redis.Redis) -> bool:
    if client.xlen("rasad:articles"):
        return False
    return all(client.hget(k, "state") == b"done" for k in client.keys("rasad:*:round"))


def _workers(mirror: Mirror, url: str, db: Path, n: int) -> dict:
    client = redis.Redis.from_url(url)
    client.flushdb()
    common = ["--redis", url, "--config", CONFIG, *_origins(mirror)]
    writer = subprocess.Popen([RASAD, "ingest", *common, "--db", str(db), "--json"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    while not client.exists("rasad:known:ready"):
        time.sleep(0.05)
    started = time.monotonic()
    procs = [subprocess.Popen([RASAD, "crawl", *common, "--json"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for _ in range(n)]
    for p in procs:
        p.communicate()
    while not _drained(client):
        time.sleep(0.05)
    wall = time.monotonic() - started
    pages = sum(int(float(client.hget(k, "response_received_count") or 0))
                for k in client.keys("rasad:*:stats:*"))
    writer.send_signal(signal.SIGTERM)
    out, _ = writer.communicate()
    report = json.loads(out.strip().splitlines()[-1])
    return {"workers": n, "pages": pages, "seconds": wall, "articles": report["written"],
            "writer_busy": report["busy"]}


def run() -> dict:
    with Mirror(scale=SCALE, faults=False) as mirror, tempfile.TemporaryDirectory() as tmp:
        total = sum(len(mirror.expected_articles(o)) for o in mirror.origins)
        base = _single(mirror, Path(tmp) / "single.db")
        proc, url = _redis(Path(tmp))
        try:
            runs = [_workers(mirror, url + f"/{i}", Path(tmp) / f"w{n}.db", n)
                    for i, n in enumerate(WORKERS)]
        finally:
            proc.terminate()
            proc.wait()
    return {"articles_in_mirror": total, "single": base, "runs": runs}


def main() -> int:
    r = run()
    b = r["single"]
    base_rate = b["pages"] / b["seconds"]
    print(f"mirror articles            {r['articles_in_mirror']}")
    print(f"single process rasad crawl {base_rate:8.1f} pages/s  ({b['pages']} pages, "
          f"{b['seconds']:.1f} s, {b['articles']} stored)")
    for run_ in r["runs"]:
        rate = run_["pages"] / run_["seconds"]
        writer = run_["articles"] / run_["writer_busy"]
        print(f"{run_['workers']} worker(s) + writer       {rate:8.1f} pages/s  "
              f"(x{rate / base_rate:.2f}; {run_['pages']} pages, {run_['seconds']:.1f} s)  "
              f"writer {writer:6.1f} articles/s ({run_['articles']} written, "
              f"{run_['writer_busy']:.1f} s busy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
