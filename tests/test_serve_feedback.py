"""Readers' verdicts from the web view (issue 11): `rasad serve --feedback` puts right/wrong
buttons on the article page's alerts, in Debian's Chromium; the verdict lands in the store as
`rasad alerts feedback` writes it. Without the flag the page shows no form and a POST is refused."""
from __future__ import annotations

import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article
from tests.webview import chromium, screenshot, serve

pytestmark = pytest.mark.e2e  # a server subprocess and a browser: `make test`


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "rasad.db"
    db = connect(path)
    url = "https://maseer.example/archives/1"
    article = ArticleStore(db).add(Article(
        url=url, canonical_url=url, outlet="maseer", title="تدريبات مشتركة مع الحرس الوطني",
        body="أعلن الحرس الوطني لولاية فرجينيا عن تدريبات مشتركة مع القوات الكويتية.",
        published="2026-12-01", published_source="meta"), url).article_id
    with db.conn:
        alert = db.conn.execute(
            "INSERT INTO alert_outbox (story_id, article_id, topic, channel, status, created) "
            "VALUES (?, ?, 'partnership', 'team', 'sent', '2026-12-01T00:00:00Z')",
            (article, article)).lastrowid
    db.conn.close()
    return path, article, alert


def _verdicts(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT alert_id, verdict, note FROM alert_feedback").fetchall()


def test_a_reader_marks_an_alert_wrong_on_the_article_page(store: tuple[Path, int, int]) -> None:
    path, article, alert = store
    with serve(path, None, "--feedback") as base, chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(f"{base}/-/article/{article}")
        form = page.locator("form.rasad-feedback")
        form.locator("input[name=note]").fill("تمرين داخلي")
        form.locator("button[value=wrong]").click()
        page.wait_for_url(f"{base}/-/article/{article}")
        assert "readers' verdict: wrong" in page.inner_text("body")
        screenshot(page, "article-feedback")
    assert _verdicts(path) == [(alert, "wrong", "تمرين داخلي")]


def test_without_the_flag_the_web_view_writes_nothing(store: tuple[Path, int, int]) -> None:
    path, article, alert = store
    with serve(path) as base:
        with urllib.request.urlopen(f"{base}/-/article/{article}", timeout=10) as r:
            assert "rasad-feedback" not in r.read().decode()
        request = urllib.request.Request(f"{base}/-/alert/{alert}/feedback",
                                         data=b"verdict=wrong", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403  # Datasette's CSRF check or the route: never a write
    assert _verdicts(path) == []
