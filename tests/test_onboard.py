"""`rasad outlets add` parts without a network: URL shapes and patterns, the entry writer, theme
detection."""
from __future__ import annotations

import re
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.config.outlets import ConfigError, load_config
from crawler.dev.mirror import iter_pages
from crawler.extract import parse_html
from crawler.onboard import entry, patterns
from crawler.onboard.theme import detect_theme


def _covers(regexes: list[str], urls: list[str]) -> bool:
    return all(patterns.matches(regexes, u) for u in urls)


@pytest.mark.parametrize(("articles", "others"), [
    (["https://a.net/archives/12345", "https://a.net/archives/12346/"],
     ["https://a.net/archives/category/x/", "https://a.net/about/"]),
    (["https://a.pk/ar/?p=201", "https://a.pk/ar/?p=99999"],
     ["https://a.pk/ar/?cat=12", "https://a.pk/ar/?page_id=2", "https://a.pk/ar/"]),
    (["https://r.com/2025/07/26/%d8%a7%d9%84-x/", "https://r.com/2024/1/3/slug-two/"],
     ["https://r.com/2025/07/", "https://r.com/category/news/", "https://r.com/about-us/"]),
    (["https://w.com/politics/164299-%D8%B9", "https://w.com/sports/163538-abc-def"],
     ["https://w.com/section/politics", "https://w.com/page/about-us", "https://w.com/tags/x"]),
])
def test_article_pattern_covers_articles_and_nothing_else(articles: list[str],
                                                          others: list[str]) -> None:
    regexes, covered = patterns.article_pattern(articles * 3)
    assert _covers(regexes, articles), regexes
    assert not any(patterns.matches(regexes, u) for u in others), regexes


def test_tracking_parameters_are_no_part_of_the_pattern() -> None:
    urls = [f"https://a.net/archives/{n}?utm_source=rss&utm_medium=rss" for n in range(10, 16)]
    regexes, _ = patterns.article_pattern(urls)
    assert regexes == [r"^/archives/\d+/?$"]


def test_optional_trailing_slug_is_one_pattern() -> None:
    base = "https://c.com/ar/articles/ssc/features/2025/06/18/feature-01"
    urls = [base, base + "/%D9%83%D8%A7%D8%B2", base.replace("18", "19"),
            base.replace("18", "19") + "/a-slug"]
    regexes, _ = patterns.article_pattern(urls)
    assert len(regexes) == 1 and regexes[0].endswith(r"(/[^/?#]*)?/?$"), regexes
    assert _covers(regexes, urls)
    assert not patterns.matches(regexes, "https://c.com/ar/articles/ssc/features")


def test_a_stray_page_in_a_sitemap_is_no_pattern() -> None:
    urls = [f"https://a.net/archives/{n}" for n in range(100, 130)] + ["https://a.net/about/"]
    regexes, covered = patterns.article_pattern(urls)
    assert regexes == [r"^/archives/\d+/?$"]
    assert "https://a.net/about/" not in covered


@pytest.mark.parametrize(("listing", "page2", "regex"), [
    ("https://w.com/section/politics", "https://w.com/section/politics?pg=2", r"[?&]pg=\d+"),
    ("https://a.net/category/x/", "https://a.net/category/x/page/2/", r"/page/\d+/?$"),
    ("https://a.net/news", "https://a.net/news/p/2", r"/p/\d+/?$"),
])
def test_pagination_regex(listing: str, page2: str, regex: str) -> None:
    found = patterns.pagination_regex(listing, page2)
    assert found == regex
    assert re.search(found, page2) and not re.search(found, listing)


@pytest.mark.parametrize(("url", "outlet_id"), [
    ("https://www.maseer.net/", "maseer"), ("https://alqaed.pk/ar/", "alqaed"),
    ("https://www.alaraby.co.uk/", "alaraby"), ("http://127.0.0.1:8704/", ""),
    ("https://news.example.com/", "example"),
])
def test_outlet_id_from_host(url: str, outlet_id: str) -> None:
    assert entry.outlet_id_for(url) == outlet_id


TABLE = {"name": "موقع 'تجريبي'", "home": "https://example.com/",
         "allowed_domains": ["example.com"], "article_url": [r"^/news/\d+/?$"],
         "feeds": ["https://example.com/feed/"], "max_listing_pages": 3,
         "politeness": {"delay": 1.5, "concurrency": 2}, "extract": {"theme": "generic"},
         "url_rules": [{"pattern": r"^(/news/\d+)/[^/]+$", "replace": r"\1"}]}


def test_entry_appended_keeps_every_byte_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    original = Path("config/outlets.toml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    entry.write_entry(path, "example", entry.to_toml("example", TABLE, ["a comment"]))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)
    assert "# a comment\n[outlets.example]" in text
    config = load_config(path)
    assert list(config.outlets)[-1] == "example" and len(config.outlets) == 4
    added = config.outlets["example"]
    assert added.name == TABLE["name"] and added.article_url == TABLE["article_url"]
    assert added.url_rules[0].replace == r"\1"
    with pytest.raises(ConfigError, match="'example' exists already"):
        entry.write_entry(path, "example", entry.to_toml("example", TABLE))
    assert path.read_text(encoding="utf-8") == text


def test_entry_creates_a_file_and_refuses_an_overlay(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.toml"
    entry.write_entry(path, "example", entry.to_toml("example", TABLE))
    assert load_config(path).outlets["example"].home == "https://example.com/"
    overlay = tmp_path / "overlay.toml"
    overlay.write_text(f'extends = "{path.name}"\n', encoding="utf-8")
    (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="overlay"):
        entry.write_entry(overlay, "other", entry.to_toml("other", TABLE))


def test_an_invalid_entry_never_lands(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    bad = {**TABLE, "article_url": ["^/news/(\\d+$"]}
    with pytest.raises(ConfigError, match="article_url"):
        entry.validate("example", bad)
    with pytest.raises(ConfigError, match="article_url"):
        entry.write_entry(path, "example", entry.to_toml("example", bad))
    assert not path.exists() and not list(tmp_path.iterdir())


def test_theme_detected_from_the_page() -> None:
    expected = {"centcomcitadel": "citadel", "maseer": "jnews", "alqaed": "tagdiv",
                "rafid": "generic", "wahat": "generic"}
    seen: dict[str, Counter[str]] = {}
    for page in iter_pages(outlets=tuple(expected)):
        name, why = detect_theme(parse_html(page.body, page.headers))
        seen.setdefault(page.outlet, Counter())[name] += 1
        assert why
    for outlet, theme in expected.items():
        # A page may carry too little of its theme to tell (citadel's full-width hero page
        # shows no headline and almost no furniture): the outlet's samples vote.
        assert seen[outlet].most_common(1)[0][0] == theme, seen[outlet]
        assert seen[outlet][theme] >= sum(seen[outlet].values()) - 1, seen[outlet]


def _static_site(root: Path) -> None:
    """A site with no feed and no sitemap: only its home page links its articles."""
    para = ("قالت وزارة الدفاع إن التدريبات المشتركة التي جرت خلال الأسبوع الماضي شملت وحدات من "
            "القوات البرية والجوية وركزت على الإخلاء الطبي والاتصالات الميدانية وتبادل الخبرات "
            "بين الضباط المشاركين من البلدين في إطار برنامج التعاون القائم منذ سنوات. ")
    links = []
    for n in range(1, 6):
        path = root / "news" / f"{1000 + n}-item.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'<html lang="ar"><head><title>خبر رقم {n} | موقع</title><meta property="og:type" '
            f'content="article"><meta property="article:published_time" content="2025-03-0{n}">'
            f'</head><body><article><h1>خبر رقم {n}</h1><p>{para}</p><p>وفي اليوم {n} {para}</p>'
            f'</article></body></html>', encoding="utf-8")
        links.append(f'<li><a href="/news/{1000 + n}-item.html">خبر رقم {n}</a></li>')
    (root / "index.html").write_text(
        '<html lang="ar"><head><title>موقع</title></head><body><nav><a href="/about">من نحن</a>'
        '<a href="/news/77-contact.html">اتصل بنا</a>'  # a page shaped like an article
        f'</nav><ul>{"".join(links)}</ul></body></html>', encoding="utf-8")


def test_without_feed_or_sitemap_the_home_page_links_are_the_evidence(tmp_path: Path) -> None:
    from crawler.onboard.probe import probe

    _static_site(tmp_path)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Quiet(*a, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        finding = probe(f"http://127.0.0.1:{server.server_port}/", delay=0, samples=3)
    finally:
        server.shutdown()
        server.server_close()
    assert finding.article_url == [r"^/news/\d+[-_][^/?#]*/?$"]
    assert not finding.sources.feeds and not finding.sources.sitemaps
    assert finding.articles_ok == 3 and finding.samples[0].date_source == "meta"
    assert any("home-page links" in note for note in finding.notes)
    assert any("also matches 1 menu links" in note and "77-contact" in note
               for note in finding.notes), finding.notes
