"""The offline mirror serves what the outlets serve, in the shapes config/outlets.toml expects."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from crawler.config.outlets import load_config
from crawler.dev.mirror import Mirror, iter_pages, render_article
from crawler.dev.mirror.corpus import TIMEZONES
from crawler.dev.mirror.dates import wp_header_clock
from crawler.dev.mirror.faults import fault_paths

ROOT = Path(__file__).resolve().parent.parent
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
CLUTTER = ["شارك هذا المقال", "هل أعجبك هذا المقال؟", "سياسة التعليقات", "يرجى إدخال الأرقام",
           "No Result", "View All Result", "Reading Time", "SHARES", "VIEWS", "Share on Facebook",
           "ShareTweetShare", "Previous Post", "Next Post", "مقالات ذات صلة", "Read more",
           "الأكثر قراءة", "جميع الحقوق محفوظة", "Advertisment", "Google search engine", "ترك الرد",
           "من فضلك ادخل تعليقك", "الأكثر شهرة", "احدث التعليقات", "Welcome Back!"]


@pytest.fixture(scope="module")
def mirror():
    with Mirror() as m:
        yield m


@pytest.fixture()
def fresh():
    """A mirror of its own for tests that change content."""
    with Mirror() as m:
        yield m


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def outlets(mirror):
    return load_config(ROOT / "config" / "outlets.toml", origins=mirror.origins).outlets


def locs(client, url, tag="loc"):
    return [e.text for e in ET.fromstring(client.get(url).content).iter(SM + tag)]


def test_robots_each_origin(mirror, client):
    for origin in mirror.origins.values():
        r = client.get(origin + "/robots.txt")
        assert r.status_code == 200 and "Sitemap: " + origin in r.text
    maseer = mirror.origins["maseer"]
    robots = client.get(maseer + "/robots.txt").text
    home = client.get(maseer + "/").text
    assert "Disallow: /wp-login.php" in robots and f'href="{maseer}/wp-login.php"' in home
    assert "Disallow: /?s=" in robots and 'name="s"' in home


def test_expected_articles(mirror, outlets):
    for outlet_id, outlet in outlets.items():
        urls = mirror.expected_articles(outlet_id)
        assert len(urls) >= 26 and len(urls) == len(set(urls))
        assert all(outlet.is_article_url(u) for u in urls)
        assert all(urlsplit(u).netloc == urlsplit(mirror.origins[outlet_id]).netloc for u in urls)
        topics = {mirror.truth(u)["topic"] for u in urls}
        assert topics == {"partnership", "other"}
    seeds = {mirror.truth(u)["title"] for o in outlets for u in mirror.expected_articles(o)}
    assert "طاجيكستان.. رسائل أميركا إلى روسيا" in seeds
    assert "قطر ومكتب الحرس الوطني في ولاية فرجينيا الغربية يعززان العلاقات الثنائية" in seeds
    langs = [mirror.truth(u)["language"] for u in mirror.expected_articles("alqaed")]
    assert langs.count("en") == 2


def test_maseer_feed_and_wp_sitemaps(mirror, client, outlets):
    maseer = mirror.origins["maseer"]
    links = [e.text for e in ET.fromstring(client.get(maseer + "/feed/").content).iter("link")][1:]
    assert len(links) == 10 and all(outlets["maseer"].is_article_url(u) for u in links)
    index = locs(client, maseer + "/wp-sitemap.xml")
    assert {"posts-post-1", "taxonomies-category-1", "users-1"} <= {
        re.sub(r".*wp-sitemap-(.*)\.xml", r"\1", u) for u in index}
    posts = [u for u in index if "posts-post" in u]
    assert {u for p in posts for u in locs(client, p)} == set(mirror.expected_articles("maseer"))
    assert len(locs(client, posts[0], "lastmod")) == len(mirror.expected_articles("maseer"))


def test_alqaed_feed_and_yoast_sitemaps(mirror, client, outlets):
    alqaed = mirror.origins["alqaed"]
    links = [e.text for e in ET.fromstring(client.get(alqaed + "/ar/feed/").content).iter("link")]
    assert all(outlets["alqaed"].is_article_url(u) for u in links[1:])
    index = locs(client, alqaed + "/ar/sitemap_index.xml")
    posts = {u for p in index if "post-sitemap" in p for u in locs(client, p)}
    assert posts == set(mirror.expected_articles("alqaed"))
    news = ET.fromstring(client.get(next(u for u in index if "news" in u)).content)
    dates = [e.text for e in news.iter("{http://www.google.com/schemas/sitemap-news/0.9}"
                                       "publication_date")]
    assert dates and all(re.match(r"\d{4}-\d{2}-\d{2}T", d) for d in dates)


def test_citadel_discovery(mirror, client, outlets):
    origin, outlet = mirror.origins["centcomcitadel"], outlets["centcomcitadel"]
    home = client.get(origin + "/ar").text
    atom = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', home)
    entries = ET.fromstring(client.get(atom.group(1)).content).iter(ATOM + "link")
    feed_urls = [e.get("href") for e in entries if e.get("rel") == "alternate"][1:]
    assert len(feed_urls) == 10 and all(outlet.is_article_url(u) for u in feed_urls)
    robots = client.get(origin + "/robots.txt").text
    index = re.search(r"Sitemap: (\S+)", robots).group(1)
    listed = {u for month in locs(client, index) for u in locs(client, month)}
    assert listed == set(mirror.expected_articles("centcomcitadel"))


def test_citadel_slug_and_plain_forms(mirror, client):
    url = mirror.expected_articles("centcomcitadel")[-1]
    plain = client.get(url)
    listing = client.get(mirror.origins["centcomcitadel"] + "/ar/articles/ssc/features").text
    slugged = [u for u in re.findall(r'href="([^"]+)"', listing) if u.startswith(url + "/")]
    assert slugged, "the listing links the slug form of the newest article"
    other = client.get(slugged[0])
    assert plain.status_code == other.status_code == 200 and plain.content == other.content
    assert f'<link rel="canonical" href="{url}"' in plain.text
    assert mirror.truth(slugged[0]) == mirror.truth(url)


def test_listings_paginate_three_pages(mirror, client, outlets):
    for outlet_id, outlet in outlets.items():
        site = mirror.sites[outlet_id]
        name = max(site.sections, key=lambda n: len(site.section_items(n)))
        pages = [site.section_url(name, n) for n in (1, 2, 3)]
        if outlet_id == "centcomcitadel":
            pages = [site.all_url(n) for n in (1, 2, 3)]
        assert outlet.is_listing_url(pages[0].split("?")[0] if "/sections/" in pages[0]
                                     else pages[0])
        for current, following in zip(pages, pages[1:], strict=False):
            r = client.get(current)
            assert r.status_code == 200 and f'href="{following.replace("&", "&amp;")}"' in r.text
        home = client.get(site.home_url).text
        assert pages[0].replace("&", "&amp;") in home or site.section_url(name) in home


def test_conditional_requests_and_head(mirror, client):
    mirror.reset_log()
    for url in (mirror.expected_articles("maseer")[0], mirror.origins["alqaed"] + "/ar/feed/"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["etag"] and r.headers["last-modified"]
        assert client.get(url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        since = {"If-Modified-Since": r.headers["last-modified"]}
        assert client.get(url, headers=since).status_code == 304
        head = client.head(url)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == r.headers["etag"]
    log = mirror.requests
    assert [e["status"] for e in log][:4] == [200, 304, 304, 200]
    assert log[1]["if_none_match"] and log[2]["if_modified_since"] and log[3]["method"] == "HEAD"


def test_faults(mirror, client, outlets):
    for outlet_id, outlet in outlets.items():
        origin, expected = mirror.origins[outlet_id], set(mirror.expected_articles(outlet_id))
        urls = [origin + p for p in fault_paths(outlet_id)]
        assert all(outlet.is_article_url(u) for u in urls) and not expected & set(urls)
        empty, binary, truncated, missing, error = (client.get(u) for u in urls)
        assert empty.status_code == 200 and empty.content == b""
        assert binary.status_code == 200 and binary.content.startswith(b"\x89PNG")
        assert binary.headers["content-type"].startswith("text/html")
        assert truncated.status_code == 200 and not truncated.text.rstrip().endswith(">")
        assert "</html>" not in truncated.text
        assert (missing.status_code, error.status_code) == (404, 500)
        site = mirror.sites[outlet_id]
        name = max(site.sections, key=lambda n: len(site.section_items(n)))
        listing = client.get(site.section_url(name)).text
        assert all(u.replace("&", "&amp;") in listing for u in urls)


def test_publish_update_and_layout(fresh, client):
    feed = fresh.origins["maseer"] + "/feed/"
    sitemap = fresh.origins["maseer"] + "/wp-sitemap-posts-post-1.xml"
    before = {u: client.get(u).headers["etag"] for u in (feed, sitemap)}
    url = fresh.publish("maseer", {"title": "خبر جديد عن الشراكة", "section": "أخبار",
                                   "body": ["فقرة أولى من الخبر الجديد.", "فقرة ثانية."],
                                   "topic": "partnership"})
    assert url in fresh.expected_articles("maseer") and url in client.get(feed).text
    assert url in client.get(sitemap).text
    assert all(client.get(u).headers["etag"] != tag for u, tag in before.items())
    page = client.get(url)
    fresh.update(url, ["نص معدل بالكامل للخبر."])
    again = client.get(url)
    assert again.headers["etag"] != page.headers["etag"] and "نص معدل بالكامل" in again.text
    assert fresh.truth(url)["body"] == "نص معدل بالكامل للخبر."
    for outlet_id in fresh.origins:
        target = fresh.expected_articles(outlet_id)[0]
        body = escape(fresh.truth(target)["body"].split("\n")[-1])
        fresh.set_layout(outlet_id, "broken")
        broken = client.get(target)
        assert broken.status_code == 200 and body not in broken.text
        fresh.set_layout(outlet_id, "normal")
        assert body in client.get(target).text


def test_cp1256_variants(mirror, client):
    seen = {}
    for outlet_id in mirror.origins:
        for a in mirror.articles(outlet_id):
            if not a.encoding:
                continue
            r = client.get(mirror.sites[outlet_id].url(a))
            with pytest.raises(UnicodeDecodeError):
                r.content.decode("utf-8")
            text = r.content.decode("cp1256")
            assert a.title in text and a.paragraphs[-1] in text
            seen[a.encoding] = (r.headers["content-type"], text[:600])
    assert set(seen) == {"cp1256-header", "cp1256-undeclared", "cp1256-wrong-header",
                         "cp1256-wrong-meta"}
    assert seen["cp1256-header"][0].endswith("charset=windows-1256")
    assert "charset" not in seen["cp1256-undeclared"][0]
    assert "charset" not in seen["cp1256-undeclared"][1].lower()
    assert seen["cp1256-wrong-header"][0].endswith("charset=iso-8859-1")
    assert "charset=UTF-8" in seen["cp1256-wrong-meta"][1]


def test_truth_is_clean_and_pages_are_rtl():
    pages = list(iter_pages())
    assert len(pages) >= 3 * 26
    for page in pages:
        truth = page.truth
        assert truth["title"] and truth["body"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}",
                                                                 truth["published"])
        assert not [c for c in CLUTTER if c in truth["body"]], page.url
        assert truth["caption"] is None or truth["caption"] not in truth["body"]
        try:
            html = page.body.decode("utf-8")
        except UnicodeDecodeError:
            html = page.body.decode("cp1256")
        assert 'dir="rtl"' in html[:400] and 'lang="ar"' in html[:400]


def test_date_variants_and_header_clock():
    pages = {p.truth["title"]: p for p in iter_pages()}
    hijri = [p for p in pages.values() if "09 رجب 1446هـ".encode() in p.body]
    assert [p.truth["published"] for p in hijri] == ["2025-01-09"]
    for text in ("١٠ تموز/يوليو ٢٠٢٥", "26 أغسطس/ آب 2024", "3 يوليوز 2024", "15 رمضان 1446هـ"):
        assert any(text.encode() in p.body for p in pages.values()), text
    seed3 = pages["طاجيكستان.. رسائل أميركا إلى روسيا"]
    today = datetime.now(TIMEZONES["maseer"]).date()
    clock = f'<div class="jeg_nav_item jeg_top_date">{wp_header_clock(today)}</div>'
    assert clock.encode() in seed3.body
    assert b"2022/08/20" in seed3.body and b"article:published_time" not in seed3.body


def test_render_article_matches_server(mirror, client):
    url = mirror.expected_articles("alqaed")[3]
    article = mirror.sites["alqaed"].find(url)
    body, headers = render_article("alqaed", article, mirror.origins["alqaed"])
    served = client.get(url)
    assert served.content == body and served.headers["etag"] == headers["ETag"]


def test_scale_mode(client):
    with Mirror(scale=40) as m:
        for outlet_id in m.origins:
            urls = m.expected_articles(outlet_id)
            assert len(urls) >= 26 + 40
            titles = [m.truth(u)["title"] for u in urls]
            bodies = [m.truth(u)["body"] for u in urls]
            assert len(set(titles)) == len(titles) and len(set(bodies)) == len(bodies)
        index = locs(client, m.origins["maseer"] + "/wp-sitemap.xml")
        listed = {u for p in index if "posts-post" in p for u in locs(client, p)}
        assert listed == set(m.expected_articles("maseer"))
