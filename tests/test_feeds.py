"""`scrapy crawl <outlet> -O out.csv` (and .json, .jsonl): Scrapy's feed exports give one flat
column per field, the way analysts open them, on a real crawl of the offline mirror."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.components.feeds import FIELDS
from tests.conftest import MIRROR_CONFIG, ROOT

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`


def test_scrapy_feed_exports_are_flat(mirror: object, tmp_path: Path) -> None:
    origin = mirror.origins["maseer"]  # type: ignore[attr-defined]
    env = {**os.environ, "RASAD_CONFIG": str(MIRROR_CONFIG), "RASAD_DB": str(tmp_path / "r.db"),
           "RASAD_ORIGINS": f"maseer={origin}", "RASAD_PROGRESS": "off"}
    out = {ext: tmp_path / f"out.{ext}" for ext in ("csv", "json", "jsonl")}
    args = [a for path in out.values() for a in ("-O", str(path))]
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "maseer", *args,
                           "-s", "LOG_LEVEL=WARNING"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with out["csv"].open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0]) == list(FIELDS)
    for row in rows:
        assert row["outlet"] == "maseer" and row["title"] and row["body"]
        assert row["status"] == "new" and row["article_id"].isdigit()
        assert not any(v.startswith(("Article(", "{", "[")) for v in row.values()), row
    assert any("; " in r["urls"] or r["urls"].startswith("http") for r in rows)
    records = json.loads(out["json"].read_text(encoding="utf-8"))
    lines = [json.loads(x) for x in out["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines) == len(rows)
    for record in records + lines:
        assert list(record) == list(FIELDS)
        assert isinstance(record["urls"], list) and isinstance(record["tags"], list)
        assert isinstance(record["article_id"], int)
    # Arabic stays readable (not \\u escapes) in the JSON files.
    assert "\\u06" not in out["json"].read_text(encoding="utf-8")
