"""RASAD_CONNECT_TO: a crawl of the real outlet definitions fetched from the offline mirror (what
`make demo` does) stores the articles' real URLs, and nothing of the stand-in's address."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.components.connect_to import parse_connect_to
from crawler.dev.mirror import Mirror
from tests.conftest import ROOT, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

REAL = {"maseer": "https://maseer.net", "alqaed": "https://alqaed.pk",
        "centcomcitadel": "https://centcomcitadel.com"}


@pytest.fixture(scope="module")
def standin() -> Iterator[Mirror]:
    with Mirror(public_origins=REAL) as m:
        yield m


def test_crawl_through_the_standin_stores_real_urls(standin: Mirror, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert standin.connect_to.count("=http://127.0.0.1:") == 3
    rasad("crawl", "--config", str(ROOT / "config" / "demo.toml"), "--outlet", "maseer",
          "--db", str(db), env={"RASAD_CONNECT_TO": standin.connect_to})
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
        aliases = [r[0] for r in conn.execute("SELECT url FROM article_urls")]
        entry_points = [r[0] for r in conn.execute("SELECT url FROM validators")]
    assert sorted(urls) == sorted(standin.expected_articles("maseer"))
    assert all(u.startswith("https://maseer.net/") for u in urls + aliases + entry_points)
    # The stand-in did serve them.
    assert any(r["outlet"] == "maseer" for r in standin.requests)


@pytest.mark.parametrize(("value", "message"), [
    ("https://maseer.net", "is not ORIGIN=ADDRESS"),
    ("maseer.net=http://127.0.0.1:1", "is not scheme://host[:port]"),
    ("https://maseer.net/archives=http://127.0.0.1:1", "is not scheme://host[:port]"),
])
def test_bad_values_name_the_entry(value: str, message: str) -> None:
    with pytest.raises(ValueError, match="RASAD_CONNECT_TO") as exc:
        parse_connect_to(value)
    assert message in str(exc.value)


def test_parse() -> None:
    assert parse_connect_to("https://Maseer.net/=http://127.0.0.1:9, ") == {
        "https://maseer.net": "http://127.0.0.1:9"}
    assert parse_connect_to("") == {}


def test_a_bad_value_stops_rasad_crawl_in_one_line(tmp_path: Path) -> None:
    proc = rasad("crawl", "--outlet", "maseer", "--db", str(tmp_path / "r.db"),
                 env={"RASAD_CONNECT_TO": "https://maseer.net"}, check=False)
    assert proc.returncode == 2 and "RASAD_CONNECT_TO" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "r.db").exists()
