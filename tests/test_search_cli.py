"""`rasad search` end to end: crawl the offline mirror with the real command, then search it.
Expected results are computed from the stored articles' text with the normaliser alone (never
through the index), so the index, the query builder and the CLI are all under test."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from storage.arabic import clitic_stems, normalize, tokens
from tests.conftest import crawl_mirror, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`


@pytest.fixture(scope="module")
def store(mirror: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("search-cli") / "rasad.db"
    crawl_mirror(mirror, db)
    return db


def _articles(db: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return {url: (title, body) for url, title, body in
                conn.execute("SELECT url, title, body FROM articles")}


def _search(db: Path, *args: str) -> list[dict]:
    out = rasad("search", *args, "--db", str(db), "--format", "json", "--limit", "500").stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize(("query", "written"), [
    ("متعددة", "متعدّدة"), ("الحرس", "الحـ"),  # (العالمیة: only in the mirror's menus)
])
def test_folded_query_finds_exactly_the_articles_holding_the_word(store: Path, query: str,
                                                                  written: str) -> None:
    articles = _articles(store)
    # The mirror has the outlets' spellings (seeds 003, 004): the case is real, not vacuous.
    assert any(written in t + b for t, b in articles.values()), written
    folded = normalize(query)
    stem = folded[2:] if folded.startswith("ال") else folded
    # Recall: every article with the word (any proclitic) is found.
    holding = {url for url, (t, b) in articles.items()
               if any(stem in clitic_stems(tok) for tok in tokens(f"{t} {b}"))}
    hits = _search(store, query)
    found = {h["url"] for h in hits}
    assert holding <= found
    for hit in hits:
        assert {"url", "title", "outlet", "published", "snippet"} <= hit.keys()
        assert "**" in hit["snippet"]
    # Titles and snippets show the outlet's own spelling.
    assert any(written in h["title"] + h["snippet"] for h in hits)


@pytest.mark.parametrize(("query", "other"), [
    ("فرجينيا", "فيرجينيا"), ("فيرجينيا", "فرجينيا"), ("أمريكي", "أميركي"),
    ("مسيسيبي", "ميسيسيبي"), ("قرغيزستان", "قيرغيزستان"),
])
def test_name_variants_find_each_other(store: Path, query: str, other: str) -> None:
    articles = _articles(store)
    spelled = normalize(other)
    with_other = {url for url, (t, b) in articles.items()
                  if any(spelled in clitic_stems(tok) for tok in tokens(f"{t} {b}"))}
    assert with_other, f"no stored article spells {other}"
    found = {h["url"] for h in _search(store, query)}
    assert with_other <= found


def test_filters_and_formats(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        outlets = [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM articles")]
        partnership = {r[0] for r in conn.execute("SELECT url FROM partnership_articles")}
    assert len(outlets) == 3 and partnership
    every = _search(store, "الحرس")
    one = _search(store, "الحرس", "--outlet", outlets[0])
    assert one and {h["outlet"] for h in one} == {outlets[0]}
    assert {h["url"] for h in one} < {h["url"] for h in every}
    dated = sorted(h["published"] for h in every if h["published"])
    middle = dated[len(dated) // 2][:10]
    since = _search(store, "الحرس", "--since", middle)
    assert since and all(h["published"] >= middle for h in since)
    until = _search(store, "الحرس", "--until", middle)
    assert until and all(h["published"][:10] <= middle for h in until)
    topic = _search(store, "الحرس", "--topic", "partnership")
    assert topic and {h["url"] for h in topic} <= partnership
    out = rasad("search", "الحرس", "--db", str(store), "--format", "csv", "--limit", "5").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 and rows[0]["url"] == every[0]["url"]
    table = rasad("search", "الحرس", "--db", str(store), "--limit", "3").stdout
    assert every[0]["title"] in table and every[0]["url"] in table


def test_bad_input_is_a_clear_error(store: Path, tmp_path: Path) -> None:
    proc = rasad("search", "-الحرس", "--db", str(store), check=False)
    assert proc.returncode != 0 and "nothing to search for" in proc.stderr
    proc = rasad("search", "الحرس", "--db", str(store), "--since", "yesterday", check=False)
    assert proc.returncode != 0 and "--since" in proc.stderr
    proc = rasad("search", "الحرس", "--db", str(tmp_path / "none.db"), check=False)
    assert proc.returncode != 0 and "database not found" in proc.stderr
    proc = rasad("search", "الحرس", "--db", str(store), "--country", "Atlantis", check=False)
    assert proc.returncode != 0 and "--country" in proc.stderr
