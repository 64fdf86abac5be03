"""The analysts' web view in Debian's Chromium: the article page (RTL body, the story's other
outlets, a version diff), lists that fit 1280 px, the search page against `rasad search`, the
partnership map and time-axis charts. Screenshots of each page go to the artifacts folder."""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article
from storage.search import SearchListener
from tests.conftest import rasad
from tests.webview import chromium, screenshot, serve

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

TODAY = date.today()
GUARD = ("أعلن الحرس الوطني لولاية فرجينيا الأمريكية عن تدريبات مشتركة مع القوات الكويتية في "
         "معسكر عريفجان تشمل الإسناد الجوي والإخلاء الطبي وتبادل الخبرات بين الضباط والجنود "
         "ضمن برنامج الشراكة بين الولايات الذي يربط الولاية بدولة الكويت منذ سنوات طويلة.")
MORE = ("وقال قائد الوحدة إن التدريبات تستمر أسبوعين وتختتم بمناورة بالذخيرة الحية بحضور "
        "مسؤولين من وزارة الدفاع الكويتية وممثلين عن القيادة المركزية الأمريكية.")
ADDED = ("وأضاف البيان أن الجانبين اتفقا على توسيع التعاون ليشمل الأمن السيبراني والدفاع "
         "الجوي خلال العام المقبل.")

# key: (outlet, days ago, title, body, countries, states, partnership?)
ARTICLES = {
    "original": ("maseer", 2, "الحرس الوطني لفرجينيا يتدرب مع القوات الكويتية",
                 f"{GUARD}\n{MORE}", {"KW": 3, "US": 1}, {"VA": 1}, True),
    "reprint": ("alqaed", 1, "تدريبات أمريكية كويتية مشتركة",
                f"نقلاً عن الصحافة الكويتية:\n{GUARD}\n{MORE}", {"KW": 3}, {"VA": 1}, True),
    "other_outlet": ("centcomcitadel", 1, "الكويت تستضيف الحرس الوطني",
                     "استضافت الكويت وفداً من الحرس الوطني لبحث التعاون الدفاعي.", {"KW": 1},
                     {}, True),
    "too_old": ("maseer", 30, "زيارة سابقة للحرس الوطني إلى الكويت",
                "زار وفد من الحرس الوطني الكويت الشهر الماضي لبحث التدريب.", {"KW": 1}, {},
                True),
    "other_country": ("alqaed", 3, "الحرس الوطني في قطر",
                      "شارك الحرس الوطني في تمرين مع القوات القطرية في الدوحة.", {"QA": 1}, {},
                      True),
    "english": ("maseer", 60, "Kuwait hosts a defence conference",
                "Kuwait hosted a defence cooperation conference with the National Guard.",
                {"KW": 1}, {}, False),
}
QUERY = "الحرس الوطني"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("pages") / "rasad.db"
    db = connect(path)
    st = ArticleStore(db, listeners=[SearchListener()])
    ids = {}
    for key, (outlet, ago, title, body, countries, states, matched) in ARTICLES.items():
        url = f"https://{outlet}.example/{key}"
        published = (TODAY - timedelta(days=ago)).isoformat()
        result = st.add(Article(url=url, canonical_url=url, outlet=outlet, title=title,
                                body=body, published=published, published_source="meta",
                                caption="صورة من التدريبات" if key == "original" else None),
                        url)
        ids[key] = result.article_id
        db.conn.execute(
            "INSERT INTO article_topics (article_id, topic, matched, score, why, countries, "
            "states, classified) VALUES (?, 'partnership', ?, ?, ?, ?, ?, '2025-03-20T00:00:00Z')",
            (result.article_id, int(matched), 9.0 if matched else 1.0,
             json.dumps({"label": "شراكات أمنية", "threshold": 5.0,
                         "reasons": ["+6.0 spp: «برنامج الشراكة» ×1", "countries: KW"]}),
             json.dumps(countries), json.dumps(states)))
    # The original is fetched again with a paragraph added: version 2.
    outlet, ago, title, body, *_ = ARTICLES["original"]
    url = f"https://{outlet}.example/original"
    st.add(Article(url=url, canonical_url=url, outlet=outlet, title=title,
                   body=f"{body}\n{ADDED}", published=(TODAY - timedelta(days=ago)).isoformat(),
                   published_source="meta", caption="صورة من التدريبات"), url)
    db.conn.close()
    return path, ids


@pytest.fixture(scope="module")
def server(store: tuple[Path, dict[str, int]]) -> Iterator[str]:
    with serve(store[0]) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server,  # type: ignore[attr-defined]
                                  viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    requested: list[str] = []
    pg.on("request", lambda r: requested.append(r.url))
    yield pg
    context.close()
    foreign = [u for u in requested if not u.startswith(server) and not u.startswith("data:")]
    assert not foreign, f"pages requested other hosts: {foreign}"


def _direction(page: object, selector: str) -> str:
    return page.locator(selector).first.evaluate(  # type: ignore[attr-defined]
        "el => getComputedStyle(el).direction")


def _no_horizontal_scroll(page: object) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 1280, f"page is {width}px wide at a 1280px window"


def test_article_page_rtl_story_and_diff(page: object, store: tuple[Path, dict[str, int]]) -> None:
    ids = store[1]
    page.goto(f"/-/article/{ids['original']}")  # type: ignore[attr-defined]
    screenshot(page, "article")
    assert page.locator("h1").first.inner_text().startswith("الحرس الوطني")  # type: ignore
    paragraphs = page.locator(".rasad-body p")  # type: ignore[attr-defined]
    assert paragraphs.count() == 3  # version 2 has three paragraphs
    assert _direction(page, ".rasad-body p") == "rtl"
    assert _direction(page, "h1.rasad-article-title") == "rtl"
    meta = page.inner_text(".rasad-meta")  # type: ignore[attr-defined]
    assert "maseer" in meta and "date from: meta" in meta
    assert "صورة من التدريبات" in page.inner_text(".rasad-caption")  # type: ignore
    topics = page.inner_text(".rasad-topics")  # type: ignore[attr-defined]
    assert "matched" in topics and "برنامج الشراكة" in topics and "KW" in topics
    # The same story on another outlet, linked to its own article page.
    story = page.locator(".rasad-story tr.other-outlet")  # type: ignore[attr-defined]
    assert story.count() == 1 and "alqaed" in story.inner_text()
    assert story.locator("a").first.get_attribute("href") == f"/-/article/{ids['reprint']}"
    # Version 1 → 2: the added paragraph is marked as inserted, the rest collapsed.
    diff = page.locator(".rasad-diff")  # type: ignore[attr-defined]
    assert diff.count() == 1 and "Version 1 → 2" in diff.inner_text()
    assert "توسيع التعاون" in diff.locator("ins").first.inner_text()
    assert "unchanged paragraph" in diff.inner_text()
    _no_horizontal_scroll(page)
    # An English article reads left to right; one without versions or story says so.
    page.goto(f"/-/article/{ids['english']}")  # type: ignore[attr-defined]
    assert _direction(page, ".rasad-body p") == "ltr"
    assert "No other outlet" in page.inner_text(".rasad-story")  # type: ignore[attr-defined]
    assert "One version" in page.inner_text(".rasad-versions")  # type: ignore[attr-defined]
    # Unknown article: a 404 page, not a traceback.
    response = page.goto("/-/article/999999")  # type: ignore[attr-defined]
    assert response.status == 404


def test_article_list_fits_and_reads_right_to_left(page: object) -> None:
    page.goto("/rasad/article_list")  # type: ignore[attr-defined]
    screenshot(page, "article_list")
    _no_horizontal_scroll(page)
    headers = page.locator("table.rows-and-columns th").all_inner_texts()  # type: ignore
    assert headers[0].strip() == "title"
    assert _direction(page, "td.col-title .rasad-title") == "rtl"
    assert _direction(page, "td.col-body .rasad-text") == "rtl"
    # English text stays left to right in the same list.
    english = page.locator("td.col-title a", has_text="Kuwait hosts")  # type: ignore
    assert english.evaluate("el => getComputedStyle(el).direction") == "ltr"
    # Bodies are snippets, URLs short links, titles lead to the article page.
    body = page.locator("td.col-body").first.inner_text()  # type: ignore[attr-defined]
    assert len(body.split()) <= 31
    link = page.locator("td.col-url a").first  # type: ignore[attr-defined]
    assert link.get_attribute("href").startswith("https://") and "…" not in (
        link.get_attribute("href") or "")
    title = page.locator("td.col-title a").first  # type: ignore[attr-defined]
    assert (title.get_attribute("href") or "").startswith("/-/article/")
    # Facets: outlet, topic, country (with its name), month.
    facets = page.inner_text(".facet-results")  # type: ignore[attr-defined]
    for needle in ("outlet", "topics", "countries", "month", "الكويت", "Kuwait"):
        assert needle in facets, needle


def test_articles_table_fits_1280_with_internal_columns_left_out(page: object) -> None:
    page.goto("/rasad/articles")  # type: ignore[attr-defined]
    screenshot(page, "articles_table")
    _no_horizontal_scroll(page)
    headers = [h.strip() for h in page.locator("table.rows-and-columns th").all_inner_texts()]  # type: ignore
    assert headers[0] == "title" and "fingerprint" not in headers
    story = page.locator("td.col-story_id a").first  # type: ignore[attr-defined]
    assert (story.get_attribute("href") or "").startswith("/-/article/")
    # Still there when asked for.
    page.goto("/rasad/articles?_col=content_hash")  # type: ignore[attr-defined]
    headers = [h.strip() for h in page.locator("table.rows-and-columns th").all_inner_texts()]  # type: ignore
    assert "content_hash" in headers
    # Internal tables are hidden from the database page.
    page.goto("/rasad")  # type: ignore[attr-defined]
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert "article_bands" not in text and "alert_attempts" not in text
    assert "article_list" in text and "Partnership map" in text


def _web_ids(page: object, params: dict[str, object]) -> list[int]:
    page.goto("/rasad/search?" + urllib.parse.urlencode(params, doseq=True))  # type: ignore
    return [int(x) for x in page.locator("tr[data-id]").evaluate_all(  # type: ignore
        "els => els.map(e => e.dataset.id)")]


@pytest.mark.parametrize("country", ["الكويت", "Kuwait", "kw"])
def test_web_search_returns_what_the_cli_returns(page: object, store: tuple[Path, dict[str, int]],
                                                 country: str) -> None:
    path, ids = store
    proc = rasad("search", QUERY, "--db", str(path), "--country", country, "--since", "7d",
                 "--outlet", "maseer", "--outlet", "alqaed", "--format", "json", "--limit", "50")
    cli = [json.loads(line)["id"] for line in proc.stdout.splitlines()]
    web = _web_ids(page, {"q": QUERY, "country": country, "since": "7d",
                          "outlet": ["maseer", "alqaed"]})
    screenshot(page, "search")
    assert web == cli
    assert set(web) == {ids["original"], ids["reprint"]}  # not too_old, other_outlet, QA
    assert "rasad search" in page.inner_text(".rasad-count")  # type: ignore[attr-defined]
    assert _direction(page, "td.col-title") == "rtl"


@pytest.mark.parametrize(("params", "message"), [
    ({"q": QUERY, "since": "yesterday"}, "not a date"),
    ({"q": QUERY, "country": "Atlantis"}, "not a country"),
    ({"q": QUERY, "outlet": "nosuch"}, "unknown outlet 'nosuch'"),
    ({"q": QUERY, "topic": "nosuch"}, "unknown topic 'nosuch'"),
    ({"q": QUERY, "country": "XX"}, "not a country code"),
    ({"q": '"'}, ""),
])
def test_web_search_shows_errors(page: object, params: dict[str, str], message: str) -> None:
    response = page.goto("/rasad/search?" + urllib.parse.urlencode(params))  # type: ignore
    error = page.locator(".rasad-error")  # type: ignore[attr-defined]
    assert response.status == 400 and error.count() == 1
    assert message in error.inner_text()


def test_partnership_map_pairs_states_and_countries(page: object,
                                                    store: tuple[Path, dict[str, int]]) -> None:
    ids = store[1]
    page.goto("/-/partnerships")  # type: ignore[attr-defined]
    screenshot(page, "partnerships")
    rows = page.locator("table.rasad-pairs tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 1  # VA ↔ KW (the US is not a partner)
    text = rows.first.inner_text()
    assert "VA" in text and "KW" in text and "الكويت" in text
    assert rows.first.locator("td.col-articles").inner_text() == "2"
    assert rows.first.locator("td.col-stories").inner_text() == "1"
    assert rows.first.locator("td.col-first a").get_attribute("href") == \
        f"/-/article/{ids['original']}"
    assert rows.first.locator("td.col-latest a").get_attribute("href") == \
        f"/-/article/{ids['reprint']}"
    assert rows.first.locator("td.col-spp").inner_text() == ""  # VA's SPP partner is not KW
    # The map: one cell for the pair, linked to the same articles.
    cell = page.locator("table.rasad-matrix td.rasad-matrix-cell a")  # type: ignore
    assert cell.count() == 1 and cell.inner_text() == "2"
    rows.first.locator("td.col-articles a").click()
    page.wait_for_load_state()  # type: ignore[attr-defined]
    titles = page.locator("td.col-title").all_inner_texts()  # type: ignore[attr-defined]
    assert len(titles) == 2


def test_charts_have_a_time_axis_with_gaps(page: object,
                                           store: tuple[Path, dict[str, int]]) -> None:
    page.goto("/-/dashboards/weekly?topic=partnership")  # type: ignore[attr-defined]
    bars = page.locator("#chart-all-weekly svg .mark-rect path")  # type: ignore[attr-defined]
    bars.first.wait_for(timeout=30_000)
    screenshot(page, "charts")
    axis = page.locator("#chart-all-weekly svg [aria-label^='X-axis']")  # type: ignore
    label = axis.first.get_attribute("aria-label") or ""
    assert "utc scale" in label or "time scale" in label, label  # vega: a temporal axis
    # Bars sit at their dates: the gap between the 60-days-old article's week and the recent
    # ones is wider than several bars (categories would put them side by side).
    boxes = bars.evaluate_all("els => els.map(e => { const b = e.getBBox(); "
                              "return [b.x, b.width]; })")
    xs = sorted(x for x, _ in boxes)
    width = min(w for _, w in boxes)
    assert xs[-1] - xs[0] > 5 * width, boxes
    # Counts on the y axis are whole numbers.
    ticks = page.locator("#chart-all-weekly svg [aria-label^='Y-axis'] text").evaluate_all(  # type: ignore
        "els => els.map(e => e.textContent)")
    numbers = [t for t in ticks if t.strip().isdigit() or "." in t]
    assert numbers and all("." not in t for t in numbers), ticks
    with sqlite3.connect(store[0]) as conn:
        assert conn.execute("SELECT count(*) FROM monthly_outlet_counts").fetchone()[0] >= 2
