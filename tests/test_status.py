"""`rasad status` against real crawls of the mirror: a layout change reported as "extraction
broken" (once, until it recovers), an unreachable outlet as "failing", an uncrawled one as stale."""
from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MIRROR_CONFIG, origin_args, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

STORY = ("تعاون عسكري متزايد مع الأردن", [
    "أكدت وزارة الدفاع أن التعاون العسكري مع الأردن يشهد تطورا ملحوظا في مجالات التدريب "
    "وتبادل الخبرات والتخطيط المشترك لمواجهة التحديات الأمنية في المنطقة.",
    "وأضاف البيان أن الجانبين اتفقا على عقد اجتماعات دورية لمتابعة تنفيذ البرامج."])


def crawl(mirror: Any, db: Path, outlet: str, *extra: str) -> str:
    """One crawl of one outlet; returns its stderr (where the health log lines go)."""
    return rasad("crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db),
                 "--outlet", outlet, *extra).stderr


def status(mirror: Any, db: Path, *extra: str) -> dict[str, dict[str, Any]]:
    out = rasad("status", "--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db),
                "--json", *extra).stdout
    return {r["outlet"]: r for r in map(json.loads, out.splitlines())}


def incidents(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT outlet, kind, closed IS NULL FROM health_incidents "
                            "ORDER BY id").fetchall()


@pytest.fixture(scope="module")
def broken(mirror: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """maseer crawled normally, then redesigned: one new article nobody can extract."""
    db = tmp_path_factory.mktemp("status") / "rasad.db"
    crawl(mirror, db, "maseer")
    seen: dict[str, Any] = {"db": db, "baseline": status(mirror, db)}
    mirror.set_layout("maseer", "broken")
    try:
        mirror.publish("maseer", {"key": "status-broken", "section": "أخبار",
                                  "title": STORY[0], "body": STORY[1]})
        seen["broken_log"] = crawl(mirror, db, "maseer")
        seen["broken"] = status(mirror, db)
        seen["text"] = rasad("status", "--config", str(MIRROR_CONFIG), *origin_args(mirror),
                             "--db", str(db)).stdout
        seen["again_log"] = crawl(mirror, db, "maseer")  # nothing changed: all 304
        seen["again"] = status(mirror, db, "--outlet", "maseer")
        seen["incidents"] = incidents(db)
    finally:
        mirror.set_layout("maseer", "normal")
    return seen


def test_a_healthy_crawl_is_ok_and_an_uncrawled_outlet_is_stale(broken: dict[str, Any]) -> None:
    maseer = broken["baseline"]["maseer"]
    assert (maseer["verdict"], maseer["reason"]) == ("ok", "")
    assert maseer["new_24h"] == maseer["new_7d"] >= 26
    assert maseer["body_share"] == 1.0 and maseer["date_share"] > 0.9
    assert 0 < maseer["error_rate"] < 0.2  # the mirror's 404 and 500 pages
    assert maseer["last_run"]["outcome"] == "ok"
    alqaed = broken["baseline"]["alqaed"]
    assert (alqaed["verdict"], alqaed["reason"], alqaed["last_run"]) == \
        ("stale", "never crawled", None)


def test_a_changed_layout_is_reported_as_extraction_broken(broken: dict[str, Any]) -> None:
    maseer = broken["broken"]["maseer"]
    assert maseer["verdict"] == "extraction broken"
    # one new article is not enough to tell; the stored article re-read as a canary is
    assert "a stored article that extracted before gives no body now" in maseer["reason"]
    assert maseer["body_share"] == 0.0
    assert [i["kind"] for i in maseer["incidents"]] == ["extraction_broken"]
    line = next(ln for ln in broken["text"].splitlines() if ln.startswith("maseer"))
    assert "extraction broken" in line and "layout changed?" in line and "body   0%" in line
    assert "health: maseer extraction broken: a stored article" in broken["broken_log"]
    assert "layout changed?" in broken["broken_log"]


def test_the_incident_is_raised_once_not_on_every_run(broken: dict[str, Any]) -> None:
    assert broken["again"]["maseer"]["verdict"] == "extraction broken"
    assert "health:" not in broken["again_log"]  # already announced
    assert broken["incidents"] == [("maseer", "extraction_broken", 1)]


def test_the_incident_closes_once_extraction_works_again(
    broken: dict[str, Any], mirror: Any
) -> None:
    db = broken["db"]
    with sqlite3.connect(db) as conn:  # the failed articles are due for their retry
        conn.execute("UPDATE retry_urls SET not_before = '2000-01-01T00:00:00Z'")
    log = crawl(mirror, db, "maseer")
    assert "health: maseer recovered from extraction broken" in log
    maseer = status(mirror, db, "--outlet", "maseer")["maseer"]
    assert maseer["verdict"] == "ok" and maseer["incidents"] == []
    with sqlite3.connect(db) as conn:
        titles = {t for (t,) in conn.execute("SELECT title FROM articles")}
    assert STORY[0] in titles  # missed during the breakage, recovered
    assert incidents(db) == [("maseer", "extraction_broken", 0)]


def test_a_new_outlet_whose_pages_all_give_nothing_is_extraction_broken(
    mirror: Any, tmp_path: Path
) -> None:
    db = tmp_path / "fresh.db"
    mirror.set_layout("alqaed", "broken")
    try:
        crawl(mirror, db, "alqaed")
    finally:
        mirror.set_layout("alqaed", "normal")
    alqaed = status(mirror, db, "--outlet", "alqaed")["alqaed"]
    assert alqaed["verdict"] == "extraction broken"
    assert alqaed["reason"].startswith("no body on the last ")  # nothing stored: no canary
    assert alqaed["new_7d"] == 0 and alqaed["body_share"] == 0.0


def test_one_odd_new_page_is_not_a_layout_change(mirror: Any, tmp_path: Path) -> None:
    db = tmp_path / "odd.db"
    crawl(mirror, db, "centcomcitadel")
    mirror.publish("centcomcitadel", {"key": "status-stub", "section": "التحالفات",
                                      "title": "صورة اليوم", "body": ["صورة من التمرين."]})
    crawl(mirror, db, "centcomcitadel")
    report = status(mirror, db, "--outlet", "centcomcitadel")["centcomcitadel"]
    assert (report["verdict"], report["reason"]) == ("ok", "")
    with sqlite3.connect(db) as conn:
        (stats,), = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1")
    stats = json.loads(stats)
    assert stats["rasad/canary/sent"] == stats["rasad/canary/ok"] == 1  # the layout is fine


def test_an_outlet_that_cannot_be_reached_three_times_is_failing(
    mirror: Any, tmp_path: Path
) -> None:
    db = tmp_path / "failing.db"
    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
        for _ in range(3):
            rasad("crawl", "--config", str(MIRROR_CONFIG), "--origin", f"alqaed={dead}",
                  "--db", str(db), "--outlet", "alqaed", check=False)
    report = status(mirror, db, "--outlet", "alqaed")["alqaed"]
    assert report["verdict"] == "failing"
    assert report["reason"].startswith("3 failed runs in a row")
    assert report["error_rate"] == 1.0


def test_status_of_a_missing_database_says_so(tmp_path: Path) -> None:
    proc = rasad("status", "--db", str(tmp_path / "none.db"), check=False)
    assert proc.returncode == 2 and "database not found" in proc.stderr
    assert not (tmp_path / "none.db").exists()  # a reader creates nothing
