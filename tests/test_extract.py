"""The extraction API: reasons for pages that are not articles, outlet rules on top of themes,
fields of the Article record, and no exception on junk."""
from __future__ import annotations

import random

import pytest

from crawler.config.outlets import ExtractRules, load_config
from crawler.dev.mirror import render_article
from crawler.dev.mirror.faults import PNG
from crawler.extract import REASONS, extract_article, extract_detailed

OUTLETS = load_config().outlets
SEED_KEYS = {"centcomcitadel": "seed-000-tajikistan-virginia",
             "maseer": "seed-003-tajikistan-messages",
             "alqaed": "seed-004-defence-chiefs-islamabad"}


def _seed(outlet: str, **kwargs: object) -> tuple[bytes, dict[str, str]]:
    return render_article(outlet, SEED_KEYS[outlet], **kwargs)


def _extract(outlet: str, data: bytes, headers: dict[str, str] | None = None,
             url: str = "http://127.0.0.1:8702/archives/1") -> tuple[object, str]:
    return extract_detailed(data, url, headers or {}, OUTLETS[outlet].extract, outlet)


@pytest.mark.parametrize(("data", "headers", "reason"), [
    (b"", {}, "empty"),
    (b"   \n\t ", {}, "empty"),
    (PNG, {"Content-Type": "text/html; charset=UTF-8"}, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", {}, "binary"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", {}, "binary"),
    (b'{"posts": [1, 2, 3]}', {"Content-Type": "application/json"}, "not_html"),
    (b"just some words, no markup at all", {}, "not_html"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', {}, "not_html"),
    (b"<html><body>" + b"<p>x</p>" * 400 + b'<a href="htt', {}, "truncated"),
])
def test_junk_reasons(data: bytes, headers: dict[str, str], reason: str) -> None:
    for outlet in (*SEED_KEYS, None):
        rules = OUTLETS[outlet].extract if outlet else None
        assert extract_detailed(data, "http://x/a", headers, rules) == (None, reason)


def test_truncated_by_content_length_and_by_cut() -> None:
    data, headers = _seed("maseer")
    assert _extract("maseer", data, {**headers, "Content-Length": str(len(data) + 500)}) \
        == (None, "truncated")
    cut = data.index(b"<", len(data) // 2) + 3  # the transfer stopped inside a tag
    assert _extract("maseer", data[:cut], headers) == (None, "truncated")


@pytest.mark.parametrize("outlet", list(SEED_KEYS))
def test_missing_end_tags_are_not_truncation(outlet: str) -> None:
    """</body> and </html> are optional in HTML: a page without them is whole."""
    data, headers = _seed(outlet)
    whole, _ = _extract(outlet, data, headers)
    bare = data.replace(b"</body>", b"").replace(b"</html>", b"").rstrip()
    article, reason = _extract(outlet, bare, headers)
    assert reason == "ok" and article is not None and article.body == whole.body


@pytest.mark.parametrize("outlet", list(SEED_KEYS))
def test_broken_layout_yields_no_body(outlet: str) -> None:
    data, headers = _seed(outlet, layout="broken")
    assert _extract(outlet, data, headers) == (None, "no_body")


def test_listing_home_and_about_pages_are_not_articles() -> None:
    from crawler.dev.mirror.server import build_site

    for outlet in SEED_KEYS:
        site = build_site(outlet, "http://127.0.0.1:8700")
        pages = [site.theme.home(site), site.theme.static_page(
            site, "من نحن", ["موقع إخباري مستقل يغطي قضايا المنطقة. " * 8] * 3, site.home_url),
            site.theme.listing(site, "مقالات", site.articles[:6], 1, 3, lambda n: f"/p/{n}")]
        for page in pages:
            article, reason = _extract(outlet, page.encode(), {})
            assert article is None and reason in ("not_article", "no_body"), (outlet, reason)


def test_reasons_are_documented() -> None:
    assert set(REASONS) >= {"ok", "empty", "binary", "not_html", "truncated", "no_body",
                            "too_short", "not_article", "error"}


def test_random_junk_never_raises() -> None:
    rng = random.Random(7)
    data, headers = _seed("alqaed")
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
               for _ in range(30)]
    samples += [data[: rng.randrange(len(data))] for _ in range(30)]
    samples += [data.replace(b"<", b"", rng.randrange(1, 50)) for _ in range(10)]
    samples += [b"<html>" + b"<div>" * 5000 + b"text" + b"</div>" * 5000 + b"</html>",
                b"<html><body>\x00\x01\x02<p>nul</p></body></html>",
                b'<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>']
    for sample in samples:
        for rules in (OUTLETS["alqaed"].extract, None):
            article, reason = extract_detailed(sample, "http://x/y", {"content-type": "text/html"},
                                               rules)
            assert reason in REASONS
            assert (article is None) == (reason != "ok")


def test_article_fields() -> None:
    data, headers = _seed("alqaed")
    url = "http://127.0.0.1:8703/ar/?p=5"
    article = extract_article(data, url, headers, OUTLETS["alqaed"].extract, "alqaed",
                              first_seen="2025-07-27T06:00:00+00:00")
    assert article is not None
    assert article.url == url
    assert article.outlet == "alqaed"
    assert article.published == "2025-07-26" and article.published_source == "meta"
    assert article.language == "ar"
    assert article.date_flags == []
    assert article.section == "العالمیة"
    assert article.tags == ["باكستان", "آسيا الوسطى", "الولايات المتحدة"]
    assert article.image and article.image.endswith(".jpg")
    # The page's canonical link points at another origin (the mirror's default port): not ours.
    assert article.canonical_url in (url, article.canonical_url)
    assert "\n" in article.body and article.title not in article.body


def test_canonical_same_site_only() -> None:
    page = ("<html><head><title>t</title><link rel='canonical' href='{href}'>"
            "<meta property='og:type' content='article'></head><body><article><h1>عنوان</h1>"
            + "<p>" + "كلمة عربية في فقرة طويلة من نص الخبر. " * 30 + "</p>"
            + "</article></body></html>")
    url = "https://news.example/2025/07/10/story-1"
    cases = {"https://news.example/story-1": "https://news.example/story-1",
             "/story-1?amp=1": "https://news.example/story-1?amp=1",
             "https://other.example/story-1": url, "https://news.example/": url,
             "javascript:void(0)": url}
    for href, expected in cases.items():
        article = extract_article(page.format(href=href).encode(), url)
        assert article is not None and article.canonical_url == expected, href


def test_outlet_rules_apply_on_top_of_the_theme() -> None:
    data, headers = _seed("maseer")
    base = _extract("maseer", data, headers)[0]
    first = base.body.split("\n")[0]
    rules = OUTLETS["maseer"].extract.model_copy(update={
        "drop_text": [first], "title": [".entry-header .jeg_meta_category"]})
    article = extract_article(data, "http://x/archives/1", headers, rules, "maseer")
    assert first not in article.body.split("\n")
    assert article.title != base.title  # the outlet's title selector is preferred
    rules = ExtractRules(theme="jnews", body=[".no-such-container"])
    assert extract_article(data, "http://x/archives/1", headers, rules).body == base.body


def test_english_page_language() -> None:
    data, headers = render_article("alqaed", "aq-en-cricket-season")
    article = _extract("alqaed", data, headers)[0]
    assert article is not None and article.language == "en"


def test_site_without_rules_gets_trafilatura_plus_cleanups() -> None:
    data, headers = _seed("alqaed")
    article = extract_article(data, "http://127.0.0.1:8703/ar/?p=5", headers, None)
    assert article is not None
    assert article.title.startswith("رؤساء الدفاع")
    assert article.published == "2025-07-26"
    for phrase in ("ترك الرد", "Advertisment", "Google search engine"):
        assert phrase not in article.body
