"""Incremental crawls against the mirror: what a re-crawl requests, what it remembers, what it
retries, and that an interrupted crawl forgets nothing."""
from __future__ import annotations

import json
import os
import pty
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.config.outlets import load_config
from storage.db import connect
from storage.incremental import pending_retries, update_retries
from tests.conftest import MIRROR_CONFIG, ROOT, crawl_mirror, origin_args

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

RASAD = str(Path(sys.executable).parent / "rasad")


def crawl_on_a_terminal(mirror: Any, db: Path) -> str:
    """`rasad crawl` with stderr on a pseudo-terminal; returns what the terminal showed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [RASAD, "crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower,
        env={**os.environ, "RASAD_PROGRESS_INTERVAL": "0.2"})
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=300) == 0
    return shown.decode("utf-8", "replace")


def table(db: Path, sql: str, *args: Any) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        with conn:  # commits a write
            return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crawls(mirror: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("incremental") / "rasad.db"
    mirror.reset_log()
    terminal = crawl_on_a_terminal(mirror, db)
    first_log = mirror.requests
    mirror.reset_log()
    proc = subprocess.run(
        [RASAD, "crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db),
         "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "RASAD_PROGRESS": "lines"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    second = {r["outlet"]: r for r in map(json.loads, proc.stdout.splitlines())}
    second_log = mirror.requests
    return {"db": db, "terminal": terminal, "first_log": first_log,
            "second": second, "second_log": second_log, "second_stderr": proc.stderr,
            "third": recrawl_watched(mirror, db)}


# `rasad crawl` as the console script runs it, reporting at exit the modules it imported and
# whether it started the worker pool.
WATCHED = """
import atexit, json, sys
out = sys.argv.pop(1)
from crawler.components import workers
started = []
class Pool(workers.Pool):
    def __init__(self, *args, **kwargs):
        started.append(True)
        super().__init__(*args, **kwargs)
workers.Pool = Pool
atexit.register(lambda: json.dump({"modules": sorted(sys.modules), "pool": bool(started)},
                                  open(out, "w")))
sys.argv[0] = "rasad"
from crawler.cli import main
main()
"""


def recrawl_watched(mirror: Any, db: Path) -> dict[str, Any]:
    out = db.parent / "watched.json"
    proc = subprocess.run(
        [sys.executable, "-c", WATCHED, str(out), "crawl", "--config", str(MIRROR_CONFIG),
         *origin_args(mirror), "--db", str(db), "--json"], cwd=ROOT, capture_output=True,
        text=True, timeout=300, env={**os.environ, "RASAD_PROGRESS": "off"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"summary": [json.loads(line) for line in proc.stdout.splitlines()],
            **json.loads(out.read_text())}


def test_an_unchanged_recrawl_loads_no_extractor_and_starts_no_worker(
    crawls: dict[str, Any]
) -> None:
    # Start-up cost (README "Speed and memory"): a crawl that meets no article page imports
    # no extraction code, nor the libraries of commands and channels it does not use, and
    # forks no worker (the zygote forks them at the first article page).
    third = crawls["third"]
    assert third["summary"] and all(r["responses_304"] == r["requests"] > 0
                                    for r in third["summary"])
    loaded = {m.split(".")[0] for m in third["modules"]} | set(third["modules"])
    for heavy in ("trafilatura", "dateparser", "htmldate", "crawler.extract", "apprise",
                  "httpx", "redis", "tldextract", "apscheduler", "crawler.onboard",
                  # topic and alert files that passed before: compiled at the first article
                  "crawler.topics",
                  # the crawl reads and writes through the connection (storage/db.py)
                  "sqlite_utils"):
        assert heavy not in loaded, heavy
    assert third["pool"] is False


def test_an_unchanged_outlet_costs_only_its_entry_points_all_answered_304(
    crawls: dict[str, Any], mirror: Any
) -> None:
    config = load_config(MIRROR_CONFIG, mirror.origins)
    for outlet_id, outlet in config.outlets.items():
        summary = crawls["second"][outlet_id]
        log = [r for r in crawls["second_log"] if r["outlet"] == outlet_id]
        first = [r for r in crawls["first_log"] if r["outlet"] == outlet_id]
        entry_points = {u for (u,) in table(crawls["db"], "SELECT url FROM validators "
                                            "WHERE outlet = ?", outlet_id)}
        origin = mirror.origins[outlet_id]
        # counted three ways: the mirror's log, the run record, the remembered entry points
        assert len(log) == summary["requests"] == summary["responses_304"], outlet_id
        assert {r["status"] for r in log} == {304}, outlet_id
        assert {origin + r["path"] for r in log} <= entry_points, outlet_id
        assert not [r for r in log if outlet.is_article_url(origin + r["path"])]
        assert summary["articles_new"] == 0 and summary["errors"] == 0
        assert len(log) < len(first) / 3, (outlet_id, len(log), len(first))


def test_child_sitemaps_with_an_unchanged_lastmod_are_not_requested(
    crawls: dict[str, Any], mirror: Any
) -> None:
    skipped = crawls["second"]["centcomcitadel"]["lastmod_skips"]
    assert skipped >= 2  # the citadel's monthly urlsets, listed with <lastmod> in its index
    listed = {p for (p,) in table(crawls["db"], "SELECT url FROM validators WHERE outlet = ? "
                                  "AND listed_lastmod IS NOT NULL", "centcomcitadel")}
    assert len(listed) == skipped
    requested = {mirror.origins["centcomcitadel"] + r["path"] for r in crawls["second_log"]}
    assert not listed & requested


def test_progress_is_live_on_a_terminal_and_plain_lines_elsewhere(crawls: dict[str, Any]) -> None:
    terminal = crawls["terminal"]
    assert "\x1b[2K" in terminal  # lines redrawn in place
    for outlet in ("centcomcitadel", "maseer", "alqaed"):
        assert outlet in terminal
    assert "finished in" in terminal
    lines = [ln for ln in crawls["second_stderr"].splitlines() if " progress " in ln]
    assert "\x1b" not in crawls["second_stderr"]
    assert {ln.split()[2] for ln in lines} == {"centcomcitadel", "maseer", "alqaed"}
    assert all("pages" in ln and "errors" in ln for ln in lines)


def test_failed_article_pages_wait_in_the_retry_queue_and_are_retried_when_due(
    crawls: dict[str, Any], mirror: Any
) -> None:
    db = crawls["db"]
    queued = {url: (error, attempts, not_before) for url, error, attempts, not_before in table(
        db, "SELECT url, error, attempts, not_before FROM retry_urls WHERE outlet = 'maseer'")}
    errors = sorted(e for e, *_ in queued.values())
    # the mirror's empty, binary and cut-off pages; its 500 page (Retry-After: 3600); not its 404
    assert errors == ["http_500", "no_article", "no_article", "no_article"]
    assert not [u for u in queued if u.endswith("/archives/9104")]  # the 404: gone for good
    assert {a for _, a, _ in queued.values()} == {1}  # the unchanged second crawl did not retry
    table(db, "UPDATE retry_urls SET not_before = '2000-01-01T00:00:00Z' WHERE outlet = 'maseer'")
    mirror.reset_log()
    crawl_mirror(mirror, db, "--outlet", "maseer")
    paths = {mirror.origins["maseer"] + r["path"] for r in mirror.requests}
    assert set(queued) <= paths
    after = {url: attempts for url, attempts in table(
        db, "SELECT url, attempts FROM retry_urls WHERE outlet = 'maseer'")}
    assert after == {url: 2 for url in queued}


def test_an_article_published_after_a_crawl_is_found_and_stored_once(
    crawls: dict[str, Any], mirror: Any
) -> None:
    db = crawls["db"]
    url = mirror.publish("alqaed", {
        "key": "incremental-new", "title": "وفد عسكري يبحث تعزيز التعاون الدفاعي",
        "section": "أخبار", "body": [
            "بحث وفد عسكري رفيع المستوى سبل تعزيز التعاون الدفاعي وتبادل الخبرات في مجالات "
            "التدريب والتأهيل، وذلك خلال زيارة رسمية استمرت ثلاثة أيام.",
            "وتناولت المباحثات برامج التدريب المشترك وتطوير القدرات في مجال مكافحة الإرهاب."]})
    mirror.reset_log()
    third = {r["outlet"]: r for r in crawl_mirror(mirror, db, "--outlet", "alqaed")}
    assert third["alqaed"]["articles_new"] == 1
    assert 0 < third["alqaed"]["responses_304"] < third["alqaed"]["requests"]
    fourth = {r["outlet"]: r for r in crawl_mirror(mirror, db, "--outlet", "alqaed")}
    assert fourth["alqaed"]["articles_new"] == 0
    assert fourth["alqaed"]["responses_304"] == fourth["alqaed"]["requests"]
    assert table(db, "SELECT count(*) FROM articles WHERE url = ?", url) == [(1,)]


def test_a_crawl_killed_midway_saves_no_validators_and_the_next_one_finds_everything(
    mirror: Any, tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [RASAD, "crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db),
         "--outlet", "centcomcitadel"], cwd=ROOT, stdout=subprocess.DEVNULL,
        # One article per transaction: with batches (up to 32) the outlet's 29 articles could
        # all land in the one commit before the kill, and there would be nothing left to find.
        stderr=subprocess.DEVNULL, env={**os.environ, "RASAD_WRITE_BATCH": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill it once it has stored some articles
        if db.exists() and table(db, "SELECT name FROM sqlite_master WHERE name = 'articles'") \
                and table(db, "SELECT count(*) FROM articles")[0][0] >= 3:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = table(db, "SELECT count(*) FROM articles")[0][0]
    assert 3 <= stored < len(mirror.expected_articles("centcomcitadel"))
    assert table(db, "SELECT count(*) FROM validators") == [(0,)]
    again = {r["outlet"]: r for r in crawl_mirror(mirror, db, "--outlet", "centcomcitadel")}
    assert again["centcomcitadel"]["responses_304"] == 0  # everything read again
    total = table(db, "SELECT count(*) FROM articles")[0][0]
    assert total == len(mirror.expected_articles("centcomcitadel"))
    assert table(db, "SELECT outcome FROM crawl_runs ORDER BY id") == [("crashed",), ("ok",)]
    assert table(db, "PRAGMA integrity_check") == [("ok",)]


def test_retry_backoff_doubles_honours_retry_after_and_gives_up(tmp_path: Path) -> None:
    db = connect(tmp_path / "r.db")
    url = "http://127.0.0.1:1/archives/1"
    for attempt in range(1, 4):
        given_up = update_retries(db, "maseer", {url: ("http_503", 0.0)}, [], 3, 60.0)
        assert given_up == []
        assert pending_retries(db, "maseer")[url].attempts == attempt
    waits = table(tmp_path / "r.db", "SELECT not_before FROM retry_urls")
    assert waits  # 60 s, 120 s, 240 s after now
    assert update_retries(db, "maseer", {url: ("http_503", 0.0)}, [], 3, 60.0) == [url]
    assert pending_retries(db, "maseer") == {}
    update_retries(db, "maseer", {url: ("http_429", 7200.0)}, [], 3, 60.0)
    (not_before,), = table(tmp_path / "r.db", "SELECT not_before FROM retry_urls")
    from storage.health import parse_iso
    wait = (parse_iso(not_before) - parse_iso(table(
        tmp_path / "r.db", "SELECT first_failed FROM retry_urls")[0][0])).total_seconds()
    assert 7190 <= wait <= 7210  # Retry-After beats the 60 s backoff
    update_retries(db, "maseer", {}, [url], 3, 60.0)
    assert pending_retries(db, "maseer") == {}


def test_an_article_updated_on_the_site_is_fetched_again_and_counted_updated(
    crawls: dict[str, Any], mirror: Any
) -> None:
    db = crawls["db"]
    url = mirror.expected_articles("alqaed")[3]
    mirror.update(url, [
        "تحديث: أعلنت الجهات المختصة تفاصيل جديدة بالكامل حول الاتفاق، تشمل جدولا زمنيا للتنفيذ "
        "وآلية للمتابعة الدورية بين الطرفين، إضافة إلى برامج تدريب مشتركة تبدأ الشهر المقبل.",
        "وأوضح البيان أن الاتفاق المعدل يتضمن بنودا إضافية عن تبادل المعلومات والخبرات الفنية."])
    mirror.reset_log()
    run = {r["outlet"]: r for r in crawl_mirror(mirror, db, "--outlet", "alqaed")}["alqaed"]
    path = url.removeprefix(mirror.origins["alqaed"])
    assert [r["status"] for r in mirror.requests if r["path"] == path] == [200]
    assert run["articles_new"] == 0
    (updated,), = table(db, "SELECT articles_updated FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert updated == 1
