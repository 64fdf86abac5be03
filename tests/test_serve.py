"""`rasad serve` end to end: the real command on a loopback port, driven by Debian's headless
Chromium (through playwright, which launches /usr/bin/chromium; it downloads no browser)."""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article
from storage.search import SearchListener
from tests.webview import chromium, serve

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

# (outlet, published, title, body, partnership?, countries)
ARTICLES = [
    ("maseer", "2025-03-04", "تدريبات متعدّدة الجنسيات في قيرغيزستان",
     "شارك الحـــرس الوطني لولاية فيرجينيا في تدريبات مشتركة مع قوات قيرغيزستان.", True,
     {"KG": 2, "US": 1}),
    ("alqaed", "2025-03-05", "الشراكة العالمیة بين البلدين",
     "قال مسؤول أميركي إن برنامج الشراكة مع ولاية ميسيسيبي مستمر.", True, {"PK": 1, "US": 1}),
    ("maseer", "2025-03-12", "أسعار النفط ترتفع",
     "ارتفعت أسعار النفط في الأسواق العالمية مع تراجع المخزونات.", False, {}),
    ("centcomcitadel", "2025-02-26", "الكويت تستضيف مؤتمراً دفاعياً",
     "استضافت الكويت مؤتمراً للتعاون الدفاعي بمشاركة الحرس الوطني.", True, {"KW": 3}),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "rasad.db"
    db = connect(path)
    st = ArticleStore(db, listeners=[SearchListener()])
    for n, (outlet, published, title, body, matched, countries) in enumerate(ARTICLES, 1):
        url = f"https://{outlet}.example/{n}"
        st.add(Article(url=url, canonical_url=url, outlet=outlet, title=title, body=body,
                       published=published), url)
        db.conn.execute(
            "INSERT INTO article_topics (article_id, topic, matched, score, countries, "
            "classified) VALUES (?, 'partnership', ?, ?, ?, '2025-03-20T00:00:00Z')",
            (n, int(matched), 9.0 if matched else 1.0, json.dumps(countries)))
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with serve(store) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server)  # type: ignore[attr-defined]
    pg = context.new_page()
    requested: list[str] = []
    pg.on("request", lambda r: requested.append(r.url))
    yield pg
    context.close()
    # Everything the pages loaded (scripts, styles, chart data) came from rasad serve itself.
    foreign = [u for u in requested if not u.startswith(server) and not u.startswith("data:")]
    assert not foreign, f"pages requested other hosts: {foreign}"


def test_search_form_folds_arabic_and_marks_the_original_spelling(page: object) -> None:
    page.goto("/rasad/search")  # type: ignore[attr-defined]
    page.fill("textarea[name=q], input[name=q]", "متعددة الحرس")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("form input[type=submit]")  # type: ignore[attr-defined]
    assert "q=" in page.url  # type: ignore[attr-defined]
    rows = page.locator("table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 1
    assert "تدريبات متعدّدة الجنسيات" in rows.first.inner_text()
    marks = rows.first.locator("td.col-snippet mark").all_inner_texts()
    assert marks == ["الحـــرس"]  # the body's match, as the outlet wrote it (title has none)


@pytest.mark.parametrize(("query", "expected"), [
    ("العالمية", {"الشراكة العالمیة بين البلدين", "أسعار النفط ترتفع"}),
    ("أمريكي", {"الشراكة العالمیة بين البلدين"}),
    ("فرجينيا", {"تدريبات متعدّدة الجنسيات في قيرغيزستان"}),
])
def test_search_variants_and_filters_through_the_url(page: object, query: str,
                                                     expected: set[str]) -> None:
    qs = urllib.parse.urlencode({"q": query})
    page.goto(f"/rasad/search?{qs}")  # type: ignore[attr-defined]
    titles = page.locator("td.col-title").all_inner_texts()  # type: ignore[attr-defined]
    assert set(titles) == expected
    qs = urllib.parse.urlencode({"q": query, "topic": "partnership", "outlet": "alqaed"})
    page.goto(f"/rasad/search?{qs}")  # type: ignore[attr-defined]
    titles = page.locator("td.col-title").all_inner_texts()  # type: ignore[attr-defined]
    assert set(titles) == expected & {"الشراكة العالمیة بين البلدين"}


def test_table_search_box_uses_the_normalised_index(page: object) -> None:
    page.goto("/rasad/articles")  # type: ignore[attr-defined]
    page.fill("input[name=_search]", "قرغيزستان")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.press("input[name=_search]", "Enter")  # type: ignore[attr-defined]
    titles = page.locator("td.col-title").all_inner_texts()  # type: ignore[attr-defined]
    assert titles == ["تدريبات متعدّدة الجنسيات في قيرغيزستان"]
    # The box keeps what the analyst typed.
    assert page.input_value("input[name=_search]") == "قرغيزستان"  # type: ignore[attr-defined]


def test_weekly_chart_draws_the_counts_of_the_store(page: object, store: Path) -> None:
    page.goto("/-/dashboards/weekly")  # type: ignore[attr-defined]
    assert "topic=partnership" in page.url  # type: ignore[attr-defined]
    bars = page.locator("#chart-topic-weekly svg .mark-rect path")  # type: ignore
    bars.first.wait_for(timeout=30_000)
    labels = bars.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    with sqlite3.connect(store) as conn:
        expected = conn.execute("SELECT week, outlet, articles FROM weekly_topic_counts "
                                "WHERE topic = 'partnership'").fetchall()
    assert len(expected) == 3 and len(labels) == len(expected)
    for week, outlet, n in expected:
        assert any(week in lab and outlet in lab and f"articles: {n}" in lab for lab in labels), \
            (week, outlet, n, labels)
    # The second chart (all articles) is drawn too.
    page.locator("#chart-all-weekly svg .mark-rect path").first.wait_for()  # type: ignore


def test_home_has_titles_descriptions_and_canned_queries(page: object) -> None:
    page.goto("/rasad")  # type: ignore[attr-defined]
    text = page.inner_text("body")  # type: ignore[attr-defined]
    for needle in ("rasad", "Search (Arabic-aware)", "Partnership articles by week",
                   "Partnership articles by outlet", "Partnership articles by country",
                   "partnership_articles", "weekly_topic_counts"):
        assert needle in text, needle
    page.goto("/rasad/partnership_by_country")  # type: ignore[attr-defined]
    # Codes show with their names and link to the articles naming them.
    countries = page.locator("td.col-country small").all_inner_texts()  # type: ignore
    assert countries[0] == "US" and set(countries) == {"US", "KG", "PK", "KW"}
    kuwait = page.locator("td.col-country a", has_text="الكويت")  # type: ignore[attr-defined]
    assert "countries__arraycontains=KW" in (kuwait.get_attribute("href") or "")


def test_web_view_is_read_only(server: str, store: Path) -> None:
    before = store.stat().st_mtime_ns, sqlite3.connect(store).execute(
        "SELECT count(*) FROM articles").fetchone()[0]
    sql = urllib.parse.quote("DELETE FROM articles")
    try:
        with urllib.request.urlopen(f"{server}/rasad.json?sql={sql}", timeout=10) as r:
            body = r.read().decode()
    except urllib.error.HTTPError as exc:  # type: ignore[attr-defined]
        body = exc.read().decode()
    assert "error" in body.lower()
    after = store.stat().st_mtime_ns, sqlite3.connect(store).execute(
        "SELECT count(*) FROM articles").fetchone()[0]
    assert after == before
