"""The revisit policy (crawler/links/revisit.py): which stored articles a crawl fetches again."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.links.discovery import feed_entries
from crawler.links.revisit import KnownUrls, source_date
from storage.versions import parse_threshold
from tests.conftest import rasad


@pytest.mark.parametrize(("text", "utc"), [
    ("2025-07-10T13:00:05+03:00", "2025-07-10T10:00:05Z"),
    ("2025-07-10T10:00:05Z", "2025-07-10T10:00:05Z"),
    ("2025-07-10T10:00:05.123456+00:00", "2025-07-10T10:00:05Z"),
    ("2025-07-10T10:00", "2025-07-10T10:00:00Z"),  # no zone: UTC
    ("2025-07-10", "2025-07-10T00:00:00Z"),  # a day counts from its start
    ("Thu, 10 Jul 2025 13:00:05 +0300", "2025-07-10T10:00:05Z"),  # RSS
    ("Thu, 10 Jul 2025 10:00:05 GMT", "2025-07-10T10:00:05Z"),
])
def test_source_dates(text: str, utc: str) -> None:
    assert source_date(text) == utc


@pytest.mark.parametrize("text", [None, "", "soon", "2025", "2025-07", "32/13/2025"])
def test_unreadable_source_dates_never_trigger(text: str | None) -> None:
    assert source_date(text) is None
    known = KnownUrls({"https://x.example/a": "2000-01-01T00:00:00Z"})
    assert not known.due("https://x.example/a", text)


def test_refetch_only_for_a_newer_date_and_once_per_date() -> None:
    key = "https://maseer.example/archives/7"
    known = KnownUrls({key: "2025-07-10T10:00:00Z"})  # fetched then
    assert key in known and "https://maseer.example/archives/8" not in known
    assert not known.due(key, "2025-07-10T12:59:59+03:00")  # 09:59:59Z: before our fetch
    assert not known.due(key, "2025-07-10")  # the same day, no time: not after our fetch
    assert not known.due("https://maseer.example/archives/8", "2030-01-01")  # not stored
    assert known.due(key, "2025-07-11")
    assert known.taken([key, "https://other.example/"]) == "2025-07-11T00:00:00Z"
    assert known.taken([key]) is None
    # stored again for a date in the future (a wrong zone, a CMS bug): one refetch, not one
    # per crawl
    assert known.due(key, "2099-01-01T00:00:00Z")
    known.stored([key], known.taken([key]) or "")
    assert not known.due(key, "2099-01-01T00:00:00Z")
    assert known.due(key, "2099-01-02T00:00:00Z")


def test_atom_updated_wins_over_published() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>a</title><link rel="alternate" href="https://c.example/ar/a"/>
<published>2025-07-01T10:00:00+03:00</published><updated>2025-07-09T08:00:00+03:00</updated>
</entry>
<entry><title>b</title><link rel="alternate" href="https://c.example/ar/b"/>
<updated>2025-07-08T08:00:00+03:00</updated><published>2025-07-01T10:00:00+03:00</published>
</entry></feed>"""
    entries = feed_entries(feed, "https://c.example/ar")
    assert [e.lastmod for e in entries] == ["2025-07-09T08:00:00+03:00",
                                           "2025-07-08T08:00:00+03:00"]


@pytest.mark.parametrize(("value", "expected"), [(None, 0.1), ("", 0.1), ("0.25", 0.25),
                                                 (0, 0.0), ("1", 1.0)])
def test_material_change_setting(value: object, expected: float) -> None:
    assert parse_threshold(value) == expected


@pytest.mark.parametrize("value", ["a lot", "1.5", "-0.1"])
def test_bad_material_change_setting_names_the_setting(value: str) -> None:
    with pytest.raises(ValueError, match="RASAD_MATERIAL_CHANGE"):
        parse_threshold(value)


def test_rasad_crawl_rejects_a_bad_material_change(tmp_path: Path) -> None:
    proc = rasad("crawl", "--db", str(tmp_path / "x.db"), check=False,
                 env={"RASAD_MATERIAL_CHANGE": "a lot"})
    assert proc.returncode == 2
    assert "RASAD_MATERIAL_CHANGE must be a number between 0 and 1" in proc.stderr
    assert "Traceback" not in proc.stderr
