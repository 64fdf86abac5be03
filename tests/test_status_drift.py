"""Rules drift end to end: the mirror's outlets crawled in their default skin (no drift) and,
into another store, in the "redesign" skin: one crawl is enough for `rasad status` to say
"rules drift" for every outlet, with one incident each, while the stored bodies stay right."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crawler.dev.bench.extract import word_f1
from crawler.dev.mirror import OUTLETS
from tests.conftest import MIRROR_CONFIG, origin_args, rasad

pytestmark = pytest.mark.e2e  # real crawls: `make test`


def _crawl_and_status(mirror: Any, db: Path) -> dict[str, Any]:
    args = ["--config", str(MIRROR_CONFIG), *origin_args(mirror), "--db", str(db)]
    log = rasad("crawl", *args).stderr
    out = rasad("status", *args, "--json").stdout
    with sqlite3.connect(db) as conn:
        stats = [json.loads(s) for (s,) in conn.execute("SELECT stats FROM crawl_runs")]
        incidents = conn.execute("SELECT outlet, kind FROM health_incidents "
                                 "WHERE closed IS NULL ORDER BY outlet").fetchall()
        stored = conn.execute("SELECT url, body FROM articles").fetchall()
    return {"log": log, "status": {r["outlet"]: r for r in map(json.loads, out.splitlines())},
            "stats": stats, "incidents": incidents, "stored": stored}


@pytest.fixture(scope="module")
def crawls(mirror: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("drift")
    seen = {"default": _crawl_and_status(mirror, base / "default.db")}
    for outlet in OUTLETS:
        mirror.set_layout(outlet, "redesign")
    try:
        seen["redesign"] = _crawl_and_status(mirror, base / "redesign.db")
    finally:
        for outlet in OUTLETS:
            mirror.set_layout(outlet, "normal")
    return seen


def test_no_drift_on_the_default_skins(crawls: dict[str, Any]) -> None:
    default = crawls["default"]
    assert {o: r["verdict"] for o, r in default["status"].items()} == dict.fromkeys(OUTLETS, "ok")
    assert not any(k.startswith("rasad/drift/") for s in default["stats"] for k in s)
    assert default["incidents"] == []


def test_the_redesign_is_rules_drift_after_one_crawl(crawls: dict[str, Any]) -> None:
    redesign = crawls["redesign"]
    for outlet in OUTLETS:
        report = redesign["status"][outlet]
        assert report["verdict"] == "rules drift", (outlet, report["reason"])
        assert "theme rules did not fit" in report["reason"]
        assert "lets page furniture into the body" in report["reason"]
        assert "http://127.0.0.1:" in report["reason"]  # an example page
        assert [i["kind"] for i in report["incidents"]] == ["drift"]
    assert redesign["incidents"] == [(o, "drift") for o in sorted(OUTLETS)]
    assert "rules drift" in redesign["log"]


def test_the_redesigned_pages_are_stored_with_their_right_bodies(
    crawls: dict[str, Any], mirror: Any
) -> None:
    stored = crawls["redesign"]["stored"]
    assert len(stored) >= 80
    scores = [word_f1(body, mirror.truth(url)["body"]) for url, body in stored]
    assert min(scores) >= 0.98 and sum(scores) / len(scores) >= 0.995
