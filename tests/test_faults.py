"""The fault suite: one real `rasad crawl` of the hostile outlet (crawler/dev/mirror/hostile.py),
then one test per fault asserting what a user would check — stored once or not at all, counted,
the crawl finished, memory bounded, nothing else contacted."""
from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.dev.mirror.hostile import FAULTS, HostileOutlet

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 3  # RASAD_DOWNLOAD_TIMEOUT for the crawl: hang and drip end in 3 × 3 s
MEMORY_LIMIT_MB = 600  # the crawl process's peak RSS (a normal crawl: ~150 MB)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("faults")
    db = tmp / "hostile.db"
    with HostileOutlet() as outlet:
        (tmp / "hostile.toml").write_text(outlet.outlets_toml(), encoding="utf-8")
        exe = Path(sys.executable).parent / "rasad"
        started = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run(
            [str(exe), "crawl", "--config", str(tmp / "hostile.toml"), "--db", str(db),
             "--json"], capture_output=True, text=True, cwd=ROOT, timeout=240,
            env={**_env(), "RASAD_DOWNLOAD_TIMEOUT": str(TIMEOUT)})
        elapsed = time.monotonic() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    conn = sqlite3.connect(db)
    run = conn.execute("SELECT outcome, stats FROM crawl_runs").fetchone()

    class Result:
        pass

    r = Result()
    r.proc, r.elapsed, r.outlet, r.db = proc, elapsed, outlet, conn
    r.peak_mb = max(peak_kb, before) / 1024
    r.outcome, r.stats = run[0], json.loads(run[1])
    r.summary = json.loads(proc.stdout.splitlines()[0])
    return r


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("RASAD_")}


def stored(r: Any, fault: str) -> int:
    """Articles reached by the fault's URL (every URL an article was reached by is kept)."""
    url = f"{r.outlet.origin}/a/{fault}"
    return r.db.execute("SELECT count(DISTINCT article_id) FROM article_urls WHERE url = ?",
                        (url,)).fetchone()[0]


def test_crawl_finished_and_bounded(crawled: Any) -> None:
    assert crawled.proc.returncode == 0, crawled.proc.stderr[-2000:]
    assert "Traceback" not in crawled.proc.stderr
    assert crawled.summary["finish_reason"] == "finished"
    assert crawled.outcome == "ok"
    assert crawled.elapsed < 120
    assert crawled.peak_mb < MEMORY_LIMIT_MB, f"peak RSS {crawled.peak_mb:.0f} MB"


def test_nothing_else_contacted(crawled: Any) -> None:
    assert crawled.outlet.bystander_hits == []
    known = {"/", "/robots.txt", "/feed", "/feed-bomb", "/sitemap-bomb", "/a/redirect-target",
             *(f"/a/{f}" for f in FAULTS)}
    extra = {p for p in crawled.outlet.hits if p not in known
             and not p.startswith("/a/redirect-chain-")}
    assert extra == set()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_stored_once_or_not_at_all(crawled: Any, fault: str) -> None:
    expected = FAULTS[fault]
    count = stored(crawled, fault)
    if expected == "stored":
        assert count == 1
    elif expected == "not stored":
        assert count == 0
    else:
        assert count <= 1
    # A URL variant never makes a second row: one article per canonical URL.
    dupes = crawled.db.execute("SELECT canonical_url FROM articles GROUP BY canonical_url "
                               "HAVING count(*) > 1").fetchall()
    assert dupes == []


# fault → (stats key that counts it, at least; requests the hostile server got for it)
COUNTED = {
    "status-503-503-200": ("retry/count", 3),
    "status-500": ("rasad/errors/http_500", 3),
    "status-404": ("rasad/errors/http_404", 1),
    "status-429-200": ("rasad/articles/new", 2),
    "hang": ("rasad/errors/DownloadTimeoutError", 3),
    "drip": ("rasad/errors/DownloadTimeoutError", 3),
    "partial": ("rasad/errors/ResponseDataLossError", 3),
    "gzip-bomb": ("rasad/errors/IgnoreRequest", 1),
    "redirect-chain": ("rasad/errors/IgnoreRequest", 1),
    "redirect-loop": ("dupefilter/filtered", 1),
    "redirect-port": ("rasad/requests_refused/port", 1),
    "redirect-private": ("rasad/requests_refused/private", 1),
    "redirect-metadata": ("rasad/requests_refused/metadata", 1),
    "redirect-offsite": ("rasad/requests_refused/offsite", 1),
    "redirect-scheme": ("rasad/errors/http_302", 1),
    "binary": ("rasad/extract/binary", 1),
    "empty": ("rasad/extract/empty", 1),
    "truncated": ("rasad/extract/truncated", 1),
    "huge": ("rasad/errors/DownloadCancelledError", 1),
}


@pytest.mark.parametrize("fault", list(COUNTED))
def test_counted(crawled: Any, fault: str) -> None:
    key, hits = COUNTED[fault]
    assert crawled.stats.get(key, 0) >= 1, f"{key} not in the run's stats"
    assert crawled.outlet.hits[f"/a/{fault}"] == hits


def test_a_declared_name_that_resolves_here_is_refused(crawled: Any) -> None:
    """Resolve-and-verify: the host name is a declared domain on the default port, so only its
    address (this machine) can refuse it."""
    from crawler.guard.addresses import address_class, resolve

    try:
        kinds = {address_class(a) for a in resolve(crawled.outlet.declared_name, 80)}
    except OSError:
        pytest.skip("this machine's host name does not resolve")
    if kinds == {"public"}:
        pytest.skip("this machine's host name resolves to a public address")
    refused = sum(crawled.stats.get(f"rasad/requests_refused/{k}", 0) for k in kinds)
    assert refused >= 1
    assert stored(crawled, "redirect-name") == 0


def test_redirect_chain_stops_at_the_limit(crawled: Any) -> None:
    steps = [p for p in crawled.outlet.hits if p.startswith("/a/redirect-chain-")]
    assert len(steps) <= 5  # REDIRECT_MAX_TIMES


def test_failed_article_queued_for_later(crawled: Any) -> None:
    rows = crawled.db.execute("SELECT url, error FROM retry_urls").fetchall()
    urls = {u for u, _ in rows}
    assert f"{crawled.outlet.origin}/a/status-500" in urls


def test_invalid_bytes_replaced_not_redecoded(crawled: Any) -> None:
    body = crawled.db.execute(
        "SELECT a.body FROM articles a JOIN article_urls u ON u.article_id = a.id "
        "WHERE u.url = ?", (f"{crawled.outlet.origin}/a/invalid-bytes",)).fetchone()[0]
    assert "\ufffd" in body
    assert "الحرس" in body or any("\u0600" <= ch <= "\u06ff" for ch in body[:50])


def test_entity_bombs_not_expanded(crawled: Any) -> None:
    assert crawled.outlet.hits["/feed-bomb"] == 1 and crawled.outlet.hits["/sitemap-bomb"] == 1
    lol = crawled.db.execute("SELECT count(*) FROM article_urls WHERE url LIKE '%lol%'")
    assert lol.fetchone()[0] == 0


def test_refusals_logged_with_reason(crawled: Any) -> None:
    err = crawled.proc.stderr
    for reason in ("port", "private", "metadata", "offsite"):
        assert f"({reason})" in err or crawled.stats.get(f"rasad/requests_refused/{reason}")
