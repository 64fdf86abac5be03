"""`rasad export`: the real command on a real store; provenance (first seen, topics, countries,
story id) and the filters, in CSV and JSON Lines."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article
from storage.search import SearchListener
from tests.conftest import rasad

STORY = ("أعلن الحرس الوطني لولاية فيرجينيا اختتام تدريبات مشتركة مع قوات طاجيكستان استمرت "
         "أسبوعين في إطار برنامج الشراكة بين الولايات، بمشاركة مئة جندي من البلدين، وتناولت "
         "التدريبات الإسعافات الميدانية وإدارة الكوارث والتعامل مع العبوات الناسفة.")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "rasad.db"
    db = connect(path)
    st = ArticleStore(db, listeners=[SearchListener()])
    rows = [
        ("maseer", "2025-03-04", "تدريبات مشتركة في طاجيكستان", STORY),
        # The same text on another outlet: a reprint, one story.
        ("alqaed", "2025-03-06", "الحرس الوطني وطاجيكستان", STORY),
        ("maseer", "2025-02-01", "أسعار النفط", "ارتفعت أسعار النفط في الأسواق العالمية."),
        ("centcomcitadel", None, "مؤتمر دفاعي في الكويت", "استضافت الكويت مؤتمراً دفاعياً."),
    ]
    for n, (outlet, published, title, body) in enumerate(rows, 1):
        url = f"https://{outlet}.example/{n}"
        st.add(Article(url=url, canonical_url=url, outlet=outlet, title=title, body=body,
                       published=published), url)
    db.conn.executemany(
        "INSERT INTO article_topics (article_id, topic, matched, score, countries, classified) "
        "VALUES (?, 'partnership', ?, 5, ?, '2025-03-07T00:00:00Z')",
        [(1, 1, '{"TJ": 2, "US": 1}'), (2, 1, '{"TJ": 1}'), (3, 0, "{}"), (4, 1, '{"KW": 2}')])
    db.conn.close()
    return path


def _jsonl(store: Path, *args: str) -> list[dict]:
    out = rasad("export", "--db", str(store), *args).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_jsonl_has_provenance(store: Path) -> None:
    rows = _jsonl(store)
    assert [r["id"] for r in rows] == [2, 1, 3, 4]  # newest first, undated last
    with sqlite3.connect(store) as conn:
        first_seen = dict(conn.execute("SELECT id, first_seen FROM articles"))
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        for key in ("url", "outlet", "published", "first_seen", "topics", "story_id", "title",
                    "body", "countries"):
            assert key in r
        assert r["first_seen"] == first_seen[r["id"]]
    assert by_id[1]["topics"] == ["partnership"] and by_id[3]["topics"] == []
    assert by_id[1]["countries"] == ["TJ", "US"]
    # The reprint belongs to the first article's story.
    assert by_id[2]["story_id"] == by_id[1]["story_id"] == 1
    assert by_id[4]["story_id"] == 4
    assert by_id[1]["body"] == STORY


def test_filters(store: Path) -> None:
    assert [r["id"] for r in _jsonl(store, "--topic", "partnership")] == [2, 1, 4]
    assert [r["id"] for r in _jsonl(store, "--outlet", "maseer")] == [1, 3]
    assert [r["id"] for r in _jsonl(store, "--country", "TJ", "--since", "2025-03-05")] == [2]
    assert [r["id"] for r in _jsonl(store, "--until", "2025-03-04")] == [1, 3]
    assert [r["id"] for r in _jsonl(store, "--limit", "1")] == [2]
    # --query: the search language, folded; best first.
    assert {r["id"] for r in _jsonl(store, "--query", "فرجينيا")} == {1, 2}
    found = _jsonl(store, "--query", "مشتركة")
    assert [r["id"] for r in found] == [1, 2]  # the title match first
    assert _jsonl(store, "--query", "الحرس", "--outlet", "centcomcitadel") == []


def test_csv_to_a_file(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "partnership.csv"
    proc = rasad("export", "--db", str(store), "--topic", "partnership", "-o", str(out))
    assert "exported 3 articles" in proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["2", "1", "4"]
    assert rows[1]["countries"] == "TJ;US" and rows[1]["topics"] == "partnership"
    assert rows[1]["body"] == STORY  # commas and Arabic punctuation survive the round trip
    forced = rasad("export", "--db", str(store), "--format", "csv", "--limit", "2").stdout
    assert forced.splitlines()[0].startswith("id,url,canonical_url,outlet,title,published")


def test_bad_filters_are_clear_errors(store: Path) -> None:
    proc = rasad("export", "--db", str(store), "--since", "2025-13-01", check=False)
    assert proc.returncode != 0 and "--since" in proc.stderr
    proc = rasad("export", "--db", str(store), "--query", "-الحرس", check=False)
    assert proc.returncode != 0 and "nothing to search for" in proc.stderr
    proc = rasad("export", "--db", str(store), "--since", "2025-03-05", "--until", "2025-03-01",
                 check=False)
    assert proc.returncode != 0 and "after" in proc.stderr


def test_json_is_one_array_of_the_jsonl_rows(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    rasad("export", "--db", str(store), "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == _jsonl(store)
    empty = tmp_path / "none.json"
    rasad("export", "--db", str(store), "--since", "2030-01-01", "-o", str(empty))
    assert json.loads(empty.read_text(encoding="utf-8")) == []


def test_a_misspelt_outlet_is_an_error_not_an_empty_file(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    proc = rasad("export", "--db", str(store), "--outlet", "masser", "-o", str(out), check=False)
    assert proc.returncode == 2 and "unknown outlet 'masser'" in proc.stderr
    assert "maseer" in proc.stderr and not out.exists()
    proc = rasad("search", "الحرس", "--db", str(store), "--outlet", "masser", check=False)
    assert proc.returncode == 2 and "unknown outlet 'masser'" in proc.stderr


def test_xlsx_is_a_real_workbook(store: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with sqlite3.connect(store) as conn:  # a title that would be a formula in a naive writer
        conn.execute("UPDATE articles SET title = '=HYPERLINK(\"x\")' WHERE id = 3")
    try:
        out = tmp_path / "all.xlsx"
        proc = rasad("export", "--db", str(store), "-o", str(out))
        assert "exported 4 articles" in proc.stderr
        ws = load_workbook(out).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0] == tuple(_jsonl(store)[0])  # the same columns as JSON Lines
        by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
        assert by_id[1]["title"] == "تدريبات مشتركة في طاجيكستان"
        assert by_id[1]["countries"] == "TJ;US"
        cell = next(c for c in ws["E"] if c.value == '=HYPERLINK("x")')
        assert cell.data_type == "s"  # text, not a formula
    finally:
        with sqlite3.connect(store) as conn:
            conn.execute("UPDATE articles SET title = 'أسعار النفط' WHERE id = 3")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "out.txt"], "unknown extension '.txt'"),
    (["-o", "out.xlsx", "--format", "jsonl"], "is xlsx by its extension but --format is jsonl"),
    (["--format", "xlsx"], "give --output FILE.xlsx"),
])
def test_unknown_or_conflicting_formats_are_refused(store: Path, tmp_path: Path,
                                                    args: list[str], message: str) -> None:
    args = [str(tmp_path / a) if a.startswith("out.") else a for a in args]
    proc = rasad("export", "--db", str(store), *args, check=False)
    assert proc.returncode == 2 and message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())  # nothing written
