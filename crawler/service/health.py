"""Outlet health: the verdict `rasad status` prints and the incidents the logs and alerts carry.

Verdicts, worst first:
- failing: the last `failed_runs` finished crawls all failed or crashed;
- extraction broken: article pages are fetched but give no body (or no date): the layout changed;
- rules drift: the outlet's theme rules did not fit pages of the latest crawl that fetched
  articles (clutter in the body, most of the body missed, or the configured theme absent):
  extraction fell back to the safer result, but the rules need a look (a redesign?);
- stale: never crawled, no crawl for several intervals, or no new article for far longer than
  the outlet's usual gap between articles;
- ok.
The rules read only crawl_runs and articles (storage/health.py), so they judge crawls however
they were started; `assess` is a pure function of those facts and a clock.
"""
from __future__ import annotations

import json
import logging
import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.config.outlets import Outlet
from crawler.service.triggers import period_seconds
from storage import health as store

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

log = logging.getLogger("rasad.health")

VERDICTS = {"failing": "failing", "extraction_broken": "extraction broken",
            "drift": "rules drift", "stale": "stale"}
FAILED = ("failed", "crashed")


@dataclass(frozen=True)
class Thresholds:
    failed_runs: int = 3  # failed or crashed crawls in a row → failing
    min_pages: int = 5  # article pages needed before body/date shares are judged
    min_body_share: float = 0.5  # fewer article pages with a body → extraction broken
    min_date_share: float = 0.5  # fewer extracted articles with a date → extraction broken
    broken_streak: int = 3  # this many article pages in a row without a body → broken at once
    stale_factor: float = 4.0  # no new article for this many usual gaps → stale
    stale_floor: float = 2 * 86400.0  # … but never less than this (seconds)
    stale_unknown: float = 7 * 86400.0  # the threshold while the usual gap is unknown
    overdue_runs: float = 3.0  # no crawl started for this many periods → stale


@dataclass
class Health:
    outlet: str
    verdict: str
    reason: str
    problems: dict[str, str] = field(default_factory=dict)  # kind → reason, worst first
    last_run: dict[str, Any] | None = None
    new_24h: int = 0
    new_7d: int = 0
    error_rate: float | None = None
    body_share: float | None = None
    date_share: float | None = None
    usual_gap_hours: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size, sub, sub_size in (("d", 86400, "h", 3600), ("h", 3600, "m", 60),
                                      ("m", 60, "s", 1)):
        if seconds >= size:
            rest = (seconds % size) // sub_size
            return f"{seconds // size}{unit}" + (f" {rest}{sub}" if rest else "")
    return f"{seconds}s"


def _failing(runs: list[dict[str, Any]], t: Thresholds) -> str | None:
    finished = [r for r in runs if r["outcome"] not in ("running", "cancelled")]
    streak = 0
    for run in finished:
        if run["outcome"] not in FAILED:
            break
        streak += 1
    if streak >= t.failed_runs:
        latest = finished[0]
        return (f"{streak} failed runs in a row (latest {latest['outcome']}"
                + (f": {latest['reason']}" if latest.get("reason") else "") + ")")
    return None


def _extraction(runs: list[dict[str, Any]], t: Thresholds) -> tuple[str | None, float | None,
                                                                   float | None]:
    """(problem, body share, date share) over the newest runs that fetched article pages."""
    sampled = [r for r in runs if r.get("article_pages")]
    if sampled and _stat(sampled[0], "rasad/canary/failed"):
        return ("a stored article that extracted before gives no body now (canary): "
                "layout changed?", 0.0, None)
    streak_pages = streak_runs = 0
    for run in sampled:
        if run["pages_with_body"]:
            break
        streak_pages += run["article_pages"]
        streak_runs += 1
    pages = bodies = dates = 0
    for run in sampled:
        pages += run["article_pages"]
        bodies += run["pages_with_body"]
        dates += run["pages_with_date"]
        if pages >= t.min_pages:
            break
    body_share = bodies / pages if pages else None
    date_share = dates / bodies if bodies else None
    problem = None
    if streak_pages >= t.broken_streak:
        problem = (f"no body on the last {streak_pages} article pages "
                   f"({streak_runs} run{'s' if streak_runs > 1 else ''}): layout changed?")
        body_share, date_share = 0.0, None  # the shares of the pages the verdict is about
    elif pages >= t.min_pages and body_share is not None and body_share < t.min_body_share:
        problem = f"only {bodies} of {pages} article pages gave a body: layout changed?"
    elif bodies >= t.min_pages and date_share is not None and date_share < t.min_date_share:
        problem = f"only {dates} of {bodies} articles had a date: date markup changed?"
    return problem, body_share, date_share


def _drift(runs: list[dict[str, Any]]) -> str | None:
    """The rules drift of the newest run that fetched article pages: one crawl is enough."""
    sampled = [r for r in runs if r.get("article_pages")]
    if not sampled:
        return None
    stats = _stats(sampled[0])
    pages = sum(int(v) for k, v in stats.items()
                if k.startswith("rasad/drift/") and k != "rasad/drift/example")
    if not pages:
        return None
    example = stats.get("rasad/drift/example") or ""
    return (f"theme rules did not fit {pages} of {sampled[0]['article_pages']} article pages"
            + (f": {example}" if example else ""))


def _stats(run: dict[str, Any]) -> dict[str, Any]:
    try:
        stats = json.loads(run.get("stats") or "{}")
    except (ValueError, TypeError):
        return {}
    return stats if isinstance(stats, dict) else {}


def _stat(run: dict[str, Any], key: str) -> int:
    try:
        return int(json.loads(run.get("stats") or "{}").get(key, 0))
    except (ValueError, TypeError, AttributeError):
        return 0


def _usual_gap(published: list[datetime]) -> float | None:
    if len(published) < 5:
        return None
    ordered = sorted(published, reverse=True)
    gaps = [(a - b).total_seconds() for a, b in zip(ordered, ordered[1:], strict=False)]
    return statistics.median(gaps)


def _stale(facts: dict[str, Any], period: float, now: datetime, t: Thresholds,
           usual: float | None) -> str | None:
    runs = facts["runs"]
    if not runs:
        return "never crawled"
    started = store.parse_iso(runs[0]["started"])
    overdue = max(t.overdue_runs * period, period + 3600)
    if started and (now - started).total_seconds() > overdue:
        return (f"no crawl for {duration((now - started).total_seconds())} "
                f"(scheduled every {duration(period)}): is `rasad run` running?")
    last_new = facts["last_new"]
    if last_new is None:
        if any(r["outcome"] == "ok" for r in runs):
            return "no article stored yet"
        return None
    limit = max(t.stale_factor * usual, t.stale_floor) if usual is not None else t.stale_unknown
    limit = max(limit, 2 * period)
    quiet = (now - last_new).total_seconds()
    if quiet > limit:
        usually = ("usual gap unknown" if usual is None
                   else f"usually one every {duration(usual)}")
        return f"no new article for {duration(quiet)} ({usually})"
    return None


def runs_overdue(stale_reason: str) -> bool:
    return stale_reason.startswith("no crawl for")


def assess(outlet: Outlet, facts: dict[str, Any], now: datetime | None = None,
           thresholds: Thresholds | None = None) -> Health:
    """The health of one outlet from its facts (storage.health.outlet_facts)."""
    t = thresholds or Thresholds()
    now = now or datetime.now(UTC)
    runs = facts["runs"]
    usual = _usual_gap(facts["published"])
    broken, body_share, date_share = _extraction(runs, t)
    found = {"failing": _failing(runs, t), "extraction_broken": broken,
             "drift": None if broken else _drift(runs),
             "stale": _stale(facts, period_seconds(outlet), now, t, usual)}
    if (found["failing"] or broken) and found["stale"] and not runs_overdue(found["stale"]):
        found["stale"] = None  # no new articles is what failing or broken extraction means
    problems = {kind: reason for kind, reason in found.items() if reason}
    verdict, reason = "ok", ""
    if problems:
        kind = next(iter(problems))
        verdict, reason = VERDICTS[kind], problems[kind]
    last = runs[0] if runs else None
    attempted = facts["pages_7d"] + facts["errors_7d"]
    return Health(
        outlet=outlet.id, verdict=verdict, reason=reason, problems=problems,
        last_run={k: last[k] for k in ("id", "started", "finished", "outcome", "reason")}
        if last else None,
        new_24h=facts["new_24h"], new_7d=facts["new_7d"],
        error_rate=facts["errors_7d"] / attempted if attempted else None,
        body_share=body_share, date_share=date_share,
        usual_gap_hours=usual / 3600 if usual is not None else None,
    )


def check(db: sqlite_utils.Database, outlets: list[Outlet], now: datetime | None = None,
          thresholds: Thresholds | None = None) -> list[Health]:
    now = now or datetime.now(UTC)
    return [assess(o, store.outlet_facts(db, o.id, now), now, thresholds) for o in outlets]


def record(db: sqlite_utils.Database, healths: list[Health]) -> list[dict[str, Any]]:
    """Open and close health_incidents to match the verdicts, log the changes; returns the
    incidents opened now (each is logged and announced once, not on every run)."""
    opened_all = []
    for health in healths:
        # An outlet never crawled is "stale" in the status, not an incident: the service that
        # asks is usually about to crawl it.
        problems = health.problems if health.last_run else {}
        opened, closed = store.sync_incidents(db, health.outlet, problems)
        for incident in opened:
            log.warning("health: %s %s: %s", incident["outlet"], VERDICTS[incident["kind"]],
                        incident["reason"])
        for incident in closed:
            log.warning("health: %s recovered from %s", incident["outlet"],
                        VERDICTS[incident["kind"]])
        opened_all += opened
    return opened_all


def announce(db: sqlite_utils.Database, alerts_path: str | None = None) -> int:
    """Send each open, not yet announced incident to the alert channels of `alerts_path`
    (default config/alerts.toml) that take notices, once (`crawler.alerts.notify_incident`: True
    once the notice is queued or sent). Without such a channel incidents stay unannounced and
    show in `rasad status` and the logs."""
    from crawler.alerts import notify_incident

    sent = 0
    for incident in store.unnotified_incidents(db):
        incident["verdict"] = VERDICTS.get(incident["kind"], incident["kind"])
        if notify_incident(db, incident, alerts_path):
            store.mark_notified(db, incident["id"])
            sent += 1
    return sent
