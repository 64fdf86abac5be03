"""The health rules behind `rasad status`, on crawl histories built by hand (no network)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crawler.config.outlets import Outlet
from crawler.service.health import Thresholds, assess, duration, record
from storage.db import connect
from storage.health import iso, open_incidents, sync_incidents

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def outlet(interval: str = "6h", cron: str | None = None) -> Outlet:
    return Outlet.model_validate({"id": "maseer", "name": "Maseer", "home": "https://m.example/",
                                  "article_url": [r"/archives/\d+"], "interval": interval,
                                  "cron": cron})


def run(hours_ago: float, outcome: str = "ok", pages: int = 0, bodies: int = 0,
        dates: int | None = None, reason: str = "finished") -> dict[str, Any]:
    started = NOW - timedelta(hours=hours_ago)
    return {"id": int(1000 - hours_ago), "started": iso(started),
            "finished": iso(started + timedelta(minutes=2)), "outcome": outcome,
            "reason": reason, "article_pages": pages, "pages_with_body": bodies,
            "pages_with_date": bodies if dates is None else dates}


def facts(runs: list[dict[str, Any]], last_new_hours: float | None = 1.0,
          gap_hours: float = 6.0, articles: int = 30) -> dict[str, Any]:
    published = [NOW - timedelta(hours=2 + i * gap_hours) for i in range(articles)]
    return {"runs": runs, "new_24h": 3, "new_7d": 20,
            "last_new": NOW - timedelta(hours=last_new_hours) if last_new_hours is not None
            else None,
            "published": published, "pages_7d": 190, "errors_7d": 10}


def healthy_history() -> list[dict[str, Any]]:
    return [run(0.5, pages=2, bodies=2), run(6.5, pages=3, bodies=3),
            run(12.5, pages=30, bodies=29)]


def test_a_healthy_outlet_is_ok_with_its_figures() -> None:
    h = assess(outlet(), facts(healthy_history()), NOW)
    assert (h.verdict, h.reason, h.problems) == ("ok", "", {})
    assert h.error_rate == pytest.approx(0.05)
    assert h.body_share == pytest.approx(1.0)  # the newest runs reaching 5 pages: 2 + 3
    assert h.usual_gap_hours == pytest.approx(6.0)
    assert h.last_run["outcome"] == "ok"


def test_failed_runs_in_a_row_make_it_failing_cancelled_ones_do_not_count() -> None:
    history = [run(0.5, "failed", reason="no page could be fetched"), run(6.5, "cancelled"),
               run(12.5, "crashed"), run(18.5, "failed"), *healthy_history()]
    h = assess(outlet(), facts(history), NOW)
    assert h.verdict == "failing"
    assert h.reason.startswith("3 failed runs in a row (latest failed: no page could be fetched")
    two = assess(outlet(), facts(history[:3] + healthy_history()), NOW)
    assert two.verdict == "ok"  # two failures are not yet a pattern
    assert assess(outlet(), facts(history), NOW, Thresholds(failed_runs=4)).verdict == "ok"


def test_article_pages_without_a_body_are_extraction_broken() -> None:
    # The layout changed after a big healthy baseline: three new articles, none extracted.
    history = [run(0.5, pages=1, bodies=0), run(6.5, pages=0), run(12.5, pages=2, bodies=0),
               run(18.5, pages=30, bodies=30)]
    h = assess(outlet(), facts(history), NOW)
    assert h.verdict == "extraction broken"
    assert "no body on the last 3 article pages (2 runs)" in h.reason
    assert h.body_share == 0.0  # over those pages, not diluted by the baseline
    # Two failing pages are not yet enough to call it.
    assert assess(outlet(), facts(history[1:]), NOW).verdict == "ok"


def test_mostly_empty_bodies_or_dates_are_extraction_broken() -> None:
    mostly_empty = [run(0.5, pages=10, bodies=3), run(6.5, pages=30, bodies=30)]
    h = assess(outlet(), facts(mostly_empty), NOW)
    assert (h.verdict, h.body_share) == ("extraction broken", pytest.approx(0.3))
    assert h.reason.startswith("only 3 of 10 article pages gave a body")
    undated = [run(0.5, pages=8, bodies=8, dates=2), run(6.5, pages=30, bodies=30)]
    h = assess(outlet(), facts(undated), NOW)
    assert h.verdict == "extraction broken" and "only 2 of 8 articles had a date" in h.reason
    assert h.date_share == pytest.approx(0.25)


def test_stale_when_nothing_new_for_far_longer_than_usual() -> None:
    # Articles usually 6 h apart: 4 × 6 h = 24 h, floored at 2 days.
    quiet = assess(outlet(), facts(healthy_history(), last_new_hours=47), NOW)
    assert quiet.verdict == "ok"
    stale = assess(outlet(), facts(healthy_history(), last_new_hours=50), NOW)
    assert stale.verdict == "stale"
    assert stale.reason == "no new article for 2d 2h (usually one every 6h)"
    # A weekly outlet is not stale after three quiet days.
    weekly = assess(outlet(), facts(healthy_history(), last_new_hours=72, gap_hours=168), NOW)
    assert weekly.verdict == "ok"


def test_stale_when_not_crawled_or_never_crawled() -> None:
    old = [run(30, pages=3, bodies=3)]
    h = assess(outlet("6h"), facts(old), NOW)
    assert h.verdict == "stale" and h.reason.startswith("no crawl for 1d 6h (scheduled every 6h)")
    assert assess(outlet("1d"), facts(old), NOW).verdict == "ok"
    never = assess(outlet(), facts([], last_new_hours=None), NOW)
    assert (never.verdict, never.reason, never.last_run) == ("stale", "never crawled", None)
    empty = assess(outlet(), facts([run(1)], last_new_hours=None, articles=0), NOW)
    assert (empty.verdict, empty.reason) == ("stale", "no article stored yet")


def test_cron_outlets_are_judged_by_their_cron_period() -> None:
    old = [run(30, pages=3, bodies=3)]
    assert assess(outlet(cron="0 */4 * * *"), facts(old), NOW).verdict == "stale"
    assert assess(outlet(cron="0 6 * * 1"), facts(old), NOW).verdict == "ok"  # weekly


def test_worst_problem_is_the_verdict_the_others_are_kept() -> None:
    history = [run(40, "failed"), run(46, "failed"), run(52, "failed")]
    h = assess(outlet(), facts(history, last_new_hours=100), NOW)
    assert h.verdict == "failing"
    assert list(h.problems) == ["failing", "stale"]
    assert h.problems["stale"].startswith("no crawl for")  # a second, separate problem
    recent = [run(0.5, "failed"), run(6.5, "failed"), run(12.5, "failed")]
    h = assess(outlet(), facts(recent, last_new_hours=100), NOW)
    assert list(h.problems) == ["failing"]  # no new articles: that is what failing means


def test_incidents_open_once_and_close_when_the_problem_is_gone(tmp_path: Any) -> None:
    db = connect(tmp_path / "h.db")
    opened, closed = sync_incidents(db, "maseer", {"extraction_broken": "no body on 3"})
    assert [i["kind"] for i in opened] == ["extraction_broken"] and closed == []
    opened, closed = sync_incidents(db, "maseer", {"extraction_broken": "no body on 5"})
    assert opened == [] and closed == []  # still the same incident: not announced again
    assert [i["reason"] for i in open_incidents(db, "maseer")] == ["no body on 5"]
    opened, closed = sync_incidents(db, "maseer", {})
    assert opened == [] and [i["kind"] for i in closed] == ["extraction_broken"]
    opened, _ = sync_incidents(db, "maseer", {"extraction_broken": "again"})
    assert len(opened) == 1  # a new incident after recovery
    rows = db.conn.execute("SELECT count(*), count(closed) FROM health_incidents").fetchone()
    assert rows == (2, 1)


def test_duration_reads_like_a_person_would_say_it() -> None:
    assert [duration(s) for s in (42, 60, 3660, 86400 + 7200, 3 * 86400)] == \
        ["42s", "1m", "1h 1m", "1d 2h", "3d"]


def test_never_crawled_shows_in_status_but_opens_no_incident(tmp_path: Any) -> None:
    db = connect(tmp_path / "h.db")
    never = assess(outlet(), facts([], last_new_hours=None), NOW)
    assert never.verdict == "stale"
    assert record(db, [never]) == []
    broken = assess(outlet(), facts([run(0.5, pages=4, bodies=0)]), NOW)
    assert [i["kind"] for i in record(db, [broken])] == ["extraction_broken"]
    assert record(db, [broken]) == []  # the same incident is not opened twice


def test_a_failed_canary_is_extraction_broken_even_for_one_new_page() -> None:
    import json

    newest = run(0.5, pages=2, bodies=0)  # one new page and the canary, neither extracted
    newest["stats"] = json.dumps({"rasad/canary/sent": 1, "rasad/canary/failed": 1})
    h = assess(outlet(), facts([newest, *healthy_history()]), NOW)
    assert h.verdict == "extraction broken" and "(canary)" in h.reason
    odd = run(0.5, pages=2, bodies=1)
    odd["stats"] = json.dumps({"rasad/canary/sent": 1, "rasad/canary/ok": 1})
    assert assess(outlet(), facts([odd, *healthy_history()]), NOW).verdict == "ok"
