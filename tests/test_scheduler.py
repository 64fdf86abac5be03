"""`rasad run` against the offline mirror with a 3-second interval: scheduled cycles, an article
published between cycles, unchanged outlets answered 304, a crawl killed with SIGKILL, SIGTERM,
a restart; plus the first-run and trigger rules without a service."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.config.outlets import load_config
from crawler.service.scheduler import first_runs, trigger_for
from crawler.service.triggers import cron_trigger
from storage.health import parse_iso
from tests.conftest import MIRROR_CONFIG, ROOT, origin_args

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

RASAD = str(Path(sys.executable).parent / "rasad")
OUTLETS = ("maseer", "alqaed")


def short_config(folder: Path, interval: str) -> Path:
    """config/outlets.toml with every outlet on `interval`, and the mirror overlay over it."""
    text = (ROOT / "config" / "outlets.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^interval\s*=.*\n', "", text)
    text = re.sub(r"(?m)^(\[outlets\.[a-z0-9_]+\])\s*$", rf'\1\ninterval = "{interval}"', text)
    (folder / "outlets.toml").write_text(text, encoding="utf-8")
    overlay = folder / "mirror.toml"
    overlay.write_text(MIRROR_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    assert all(o.interval == interval for o in load_config(overlay).outlets.values())
    return overlay


def start_service(config: Path, db: Path, mirror: Any, log: Path, *extra: str,
                  outlets: tuple[str, ...] = OUTLETS, env: dict[str, str] | None = None
                  ) -> subprocess.Popen[bytes]:
    args = [RASAD, "run", "--config", str(config), "--db", str(db), *origin_args(mirror),
            "--jitter", "0", "--grace", "5", *extra]
    for outlet in outlets:
        args += ["--outlet", outlet]
    with log.open("ab") as out:
        return subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "RASAD_PROGRESS": "lines", **(env or {})})


def runs(db: Path) -> list[dict[str, Any]]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM crawl_runs ORDER BY id")]
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        conn.close()


def wait_for(what: str, check: Callable[[], Any], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def finished(db: Path, outlet: str, after: str = "") -> list[dict[str, Any]]:
    return [r for r in runs(db) if r["outlet"] == outlet and r["outcome"] != "running"
            and r["started"] >= after]


def epoch(stamp: str) -> float:
    when = parse_iso(stamp)
    assert when is not None
    return when.timestamp()


@pytest.fixture(scope="module")
def life(mirror: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One service life: two cycles, a publication, a SIGKILL, a SIGTERM; what was seen."""
    folder = tmp_path_factory.mktemp("run")
    db, log = folder / "rasad.db", folder / "run.log"
    config = short_config(folder, "3s")
    mirror.reset_log()
    seen: dict[str, Any] = {"db": db, "log": log, "folder": folder}
    service = start_service(config, db, mirror, log)
    try:
        wait_for("a first cycle", lambda: all(finished(db, o) for o in OUTLETS))
        seen["published_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        seen["url"] = mirror.publish("maseer", {
            "key": "scheduler-test-article", "title": "تمرين مشترك جديد بين الحرس الوطني وشركائه",
            "section": "أخبار", "body": [
                "أعلنت القيادة عن تمرين مشترك جديد يجمع وحدات الحرس الوطني مع قوات الشركاء "
                "في المنطقة، ويستمر التمرين أسبوعين ويركز على الاستجابة للطوارئ.",
                "وقال المتحدث إن التمرين يأتي ضمن برنامج الشراكة بين الولايات والدول، "
                "وإن التدريبات تشمل الإخلاء الطبي والتنسيق بين مراكز القيادة."]})
        # the cycle that stores it and one after it that must not store it again (three: one
        # starting in the very second of the publication may have missed it)
        wait_for("two maseer cycles after the publication",
                 lambda: len(finished(db, "maseer", seen["published_at"])) >= 3)
        wait_for("three alqaed cycles", lambda: len(finished(db, "alqaed")) >= 3)
        seen["mirror_log"] = list(mirror.requests)
        seen["killed"] = kill_a_running_crawl(db)
        wait_for("a completed cycle after the kill", lambda: [
            r for r in finished(db, seen["killed"]["outlet"]) if r["id"] > seen["killed"]["id"]
            and r["outcome"] == "ok"])
        in_flight = wait_for("a crawl in flight", lambda: [
            r for r in runs(db) if r["outcome"] == "running"])
        seen["in_flight"] = in_flight[0]["id"]
        started = time.monotonic()
        service.send_signal(signal.SIGTERM)
        seen["exit"] = service.wait(timeout=60)
        seen["stop_seconds"] = time.monotonic() - started
        seen["runs"] = runs(db)
        yield seen
    finally:
        if service.poll() is None:
            service.kill()
            service.wait()


def kill_a_running_crawl(db: Path) -> dict[str, Any]:
    """SIGKILL the process of a crawl whose run is open (retries if it closed meanwhile)."""
    for _ in range(20):
        running = wait_for("a running crawl", lambda: [
            r for r in runs(db) if r["outcome"] == "running" and r["pid"]])
        run_id, pid = running[0]["id"], running[0]["pid"]
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
        after = wait_for("the killed run to be closed", lambda rid=run_id: [
            r for r in runs(db) if r["id"] == rid and r["outcome"] != "running"])
        if after[0]["outcome"] == "crashed":
            return after[0]
    raise AssertionError("never caught a crawl mid-run")


def test_each_outlet_is_crawled_in_repeated_scheduled_cycles(life: dict[str, Any]) -> None:
    for outlet in OUTLETS:
        done = [r for r in life["runs"] if r["outlet"] == outlet and r["outcome"] == "ok"]
        assert len(done) >= 3, outlet
        starts = [epoch(r["started"]) for r in done]
        assert all(b - a >= 2 for a, b in zip(starts, starts[1:], strict=False)), starts
    text = life["log"].read_text(encoding="utf-8", errors="replace")
    assert "maseer: every 3s, first crawl" in text
    assert re.search(r"progress maseer\s+pages", text)  # the crawls' plain progress lines


def test_an_article_published_between_cycles_is_stored_once(life: dict[str, Any]) -> None:
    conn = sqlite3.connect(life["db"])
    try:
        stored = conn.execute("SELECT count(*) FROM articles WHERE title = ?", (
            "تمرين مشترك جديد بين الحرس الوطني وشركائه",)).fetchone()[0]
    finally:
        conn.close()
    assert stored == 1
    later = [r for r in life["runs"] if r["outlet"] == "maseer"
             and r["started"] >= life["published_at"] and r["outcome"] == "ok"]
    assert sum(r["articles_new"] for r in later) == 1
    assert later[-1]["articles_new"] == 0


def test_unchanged_outlet_cycles_make_only_entry_point_requests_answered_304(
    life: dict[str, Any], mirror: Any
) -> None:
    alqaed = [r for r in life["runs"] if r["outlet"] == "alqaed" and r["outcome"] == "ok"]
    first, later = alqaed[0], alqaed[1:]
    assert first["responses_304"] == 0 and first["articles_new"] >= 20
    for run in later[:2]:
        assert run["requests"] > 0 and run["responses_304"] == run["requests"], run
        assert run["articles_new"] == 0 and run["article_pages"] == 0
    since = epoch(later[0]["started"])
    log = [r for r in life["mirror_log"] if r["outlet"] == "alqaed" and r["time"] >= since]
    assert log and {r["status"] for r in log} == {304}
    assert all(r["if_none_match"] or r["if_modified_since"] for r in log)
    conn = sqlite3.connect(life["db"])
    try:
        entry_points = {u for (u,) in conn.execute(
            "SELECT url FROM validators WHERE outlet = 'alqaed'")}
    finally:
        conn.close()
    origin = mirror.origins["alqaed"]
    assert {origin + r["path"] for r in log} <= entry_points
    first_log = [r for r in life["mirror_log"] if r["outlet"] == "alqaed" and r["time"] < since]
    assert max(r["requests"] for r in later[:2]) < len(first_log) / 3  # a fraction of the first


def test_a_crawl_killed_mid_run_leaves_a_sound_database_and_the_next_cycle_completes(
    life: dict[str, Any]
) -> None:
    killed = life["killed"]
    assert killed["outcome"] == "crashed" and killed["reason"] == "process died"
    after = [r for r in life["runs"] if r["outlet"] == killed["outlet"] and r["id"] > killed["id"]]
    assert any(r["outcome"] == "ok" for r in after)
    conn = sqlite3.connect(life["db"])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_sigterm_stops_the_service_within_seconds_with_status_0(life: dict[str, Any]) -> None:
    assert life["exit"] == 0
    assert life["stop_seconds"] < 10
    assert not [r for r in life["runs"] if r["outcome"] == "running"]
    in_flight = next(r for r in life["runs"] if r["id"] == life["in_flight"])
    assert in_flight["outcome"] in ("cancelled", "ok"), in_flight  # finished or marked cancelled
    text = life["log"].read_text(encoding="utf-8", errors="replace")
    assert "SIGTERM: stopping" in text and "rasad.run: stopped" in text


def test_a_restart_neither_recrawls_at_once_nor_runs_twice(
    life: dict[str, Any], mirror: Any
) -> None:
    folder, db = life["folder"], life["db"]
    (folder / "restart").mkdir()
    config = short_config(folder / "restart", "60s")
    before = len(runs(db))
    service = start_service(config, db, mirror, folder / "restart.log")
    try:
        wait_for("the service to schedule", lambda: "first crawl" in (
            folder / "restart.log").read_text(encoding="utf-8", errors="replace"), timeout=30)
        second = subprocess.run(
            [RASAD, "run", "--config", str(config), "--db", str(db), *origin_args(mirror)],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and "another `rasad run`" in second.stderr
        time.sleep(4)
        assert len(runs(db)) == before  # every outlet was crawled seconds ago: next slot is later
    finally:
        service.send_signal(signal.SIGINT)  # Ctrl-C stops it as cleanly as SIGTERM
        assert service.wait(timeout=30) == 0
    text = (folder / "restart.log").read_text(encoding="utf-8", errors="replace")
    slots = re.findall(r"(maseer|alqaed): every 60s, first crawl (\S+ \S+) UTC", text)
    assert {o for o, _ in slots} == set(OUTLETS)
    last = {o: max(epoch(r["started"]) for r in life["runs"] if r["outlet"] == o)
            for o in OUTLETS}
    for outlet, when in slots:
        slot = datetime.strptime(when, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
        assert slot == pytest.approx(last[outlet] + 60, abs=1)


def test_a_broken_outlet_is_announced_to_the_alert_channels_once(
    mirror: Any, tmp_path: Path
) -> None:
    config = short_config(tmp_path, "3s")
    alerts = tmp_path / "alerts.toml"
    alerts.write_text('[channels.ops]\nkind = "jsonl"\npath = "notices.jsonl"\n'
                      'notices = true\n', encoding="utf-8")
    db, log = tmp_path / "rasad.db", tmp_path / "run.log"
    mirror.set_layout("centcomcitadel", "broken")
    service = start_service(config, db, mirror, log, "--health-every", "1",
                            outlets=("centcomcitadel",), env={"RASAD_ALERTS": str(alerts)})
    try:
        wait_for("three broken cycles", lambda: len(finished(db, "centcomcitadel")) >= 3)
    finally:
        mirror.set_layout("centcomcitadel", "normal")
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=30) == 0
    notices = [json.loads(line) for line in
               (tmp_path / "notices.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(n["type"], n["data"]["outlet"], n["data"]["verdict"]) for n in notices] == \
        [("notice", "centcomcitadel", "extraction broken")]
    assert "no body on the last" in notices[0]["data"]["reason"]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT kind, notified IS NOT NULL FROM health_incidents").fetchall() \
            == [("extraction_broken", 1)]
    finally:
        conn.close()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert text.count("health: centcomcitadel extraction broken") == 1


def test_an_outlet_crawled_by_another_process_is_not_crawled_twice(
    mirror: Any, tmp_path: Path
) -> None:
    from storage.db import connect
    from storage.runs import open_run

    config = short_config(tmp_path, "3s")
    db, log = tmp_path / "rasad.db", tmp_path / "run.log"
    store = connect(db)
    open_run(store, "maseer")  # a `rasad crawl` of maseer is running: this very process
    store.conn.close()
    service = start_service(config, db, mirror, log, outlets=("maseer",))
    try:
        wait_for("a skipped slot", lambda: "maseer: already being crawled" in log.read_text(
            encoding="utf-8", errors="replace"), timeout=60)
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=30) == 0
    assert [(r["outcome"], r["pid"]) for r in runs(db)] == [("running", os.getpid())]


# --- without a service -------------------------------------------------------------------------
def test_a_bad_cron_line_stops_rasad_run_naming_file_outlet_and_key(tmp_path: Path) -> None:
    config = tmp_path / "outlets.toml"
    text = (ROOT / "config" / "outlets.toml").read_text(encoding="utf-8")
    config.write_text(text.replace("[outlets.maseer]\n", '[outlets.maseer]\ncron = "61 * * * *"\n'),
                      encoding="utf-8")
    proc = subprocess.run([RASAD, "run", "--config", str(config), "--db", str(tmp_path / "r.db")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2  # a configuration error
    assert f"{config}: outlet 'maseer': key 'cron': not a crontab line" in proc.stderr
    assert not (tmp_path / "r.db").exists()

def _outlets(interval: str = "1h") -> list:
    config = load_config(MIRROR_CONFIG)
    return [o.model_copy(update={"interval": interval}) for o in config.outlets.values()]


def test_first_runs_keep_recent_outlets_on_their_slot_and_spread_the_overdue() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    outlets = _outlets("1h")
    a, b, c = (o.id for o in outlets)
    last = {a: now - timedelta(minutes=20), b: now - timedelta(hours=5)}  # c: never crawled
    first = first_runs(outlets, last, now)
    assert first[a] == now + timedelta(minutes=40)
    assert first[c] == now  # never crawled: first
    assert first[b] == now + timedelta(seconds=30)  # overdue: soon, but not at the same moment
    restarted = first_runs(outlets, {o.id: now - timedelta(minutes=1) for o in outlets}, now)
    assert all(when == now + timedelta(minutes=59) for when in restarted.values())


def test_triggers_follow_interval_or_cron_with_jitter() -> None:
    start = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    outlet = _outlets("3s")[0]
    trigger = trigger_for(outlet, start, jitter=0)
    assert trigger.get_next_fire_time(start, start) == start + timedelta(seconds=3)
    assert trigger_for(outlet.model_copy(update={"interval": "6h"}), start).jitter == 300
    cron = outlet.model_copy(update={"cron": "30 6 * * 1-5"})
    weekdays = cron_trigger(cron.cron)
    friday = datetime(2026, 3, 13, 7, 0, tzinfo=UTC)
    assert weekdays.get_next_fire_time(None, friday) == datetime(2026, 3, 16, 6, 30, tzinfo=UTC)
    sunday = cron_trigger("0 0 * * 0").get_next_fire_time(None, friday)
    assert sunday.weekday() == 6
    assert trigger_for(cron, start, jitter=5).jitter == 5
