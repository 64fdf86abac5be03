"""The offline mirror serves what the real outlets serve, in the shapes config/outlets.toml expects."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from crawler.config import load_config
from crawler.mirror import Mirror

ROOT = Path(__file__).resolve().parent.parent
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def mirror():
    with Mirror() as m:
        yield m


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def outlets(mirror):
    return load_config(ROOT / "config" / "outlets.toml", origins=mirror.origins).outlets


def test_robots_has_sitemap_line(mirror, client):
    for origin in mirror.origins.values():
        r = client.get(origin + "/robots.txt")
        assert r.status_code == 200
        assert "Sitemap: " + origin in r.text


def test_expected_articles_match_article_patterns(mirror, outlets):
    for outlet_id, outlet in outlets.items():
        urls = mirror.expected_articles(outlet_id)
        assert len(urls) == len(set(urls))
        assert all(outlet.is_article_url(u) for u in urls)
        assert all(urlsplit(u).netloc == urlsplit(mirror.origins[outlet_id]).netloc for u in urls)


def test_feeds_and_sitemaps_list_only_articles(mirror, client, outlets):
    maseer, alqaed = mirror.origins["maseer"], mirror.origins["alqaed"]
    rss = ET.fromstring(client.get(maseer + "/feed/").content)
    links = [e.text for e in rss.iter("link")][1:]
    assert 0 < len(links) <= 10
    assert all(outlets["maseer"].is_article_url(u) for u in links)
    index = ET.fromstring(client.get(maseer + "/wp-sitemap.xml").content)
    posts = [e.text for e in index.iter(SM + "loc") if "posts-post" in e.text]
    urls = [e.text for e in ET.fromstring(client.get(posts[0]).content).iter(SM + "loc")]
    assert set(urls) == set(mirror.expected_articles("maseer"))
    index = ET.fromstring(client.get(alqaed + "/ar/sitemap_index.xml").content)
    locs = [e.text for e in index.iter(SM + "loc")]
    news = ET.fromstring(client.get(next(u for u in locs if "news" in u)).content)
    assert any(e.tag.endswith("publication_date") for e in news.iter())


def test_conditional_requests(mirror, client):
    url = mirror.expected_articles("maseer")[0]
    r = client.get(url)
    assert r.status_code == 200 and r.headers["etag"] and r.headers["last-modified"]
    assert client.get(url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    since = {"If-Modified-Since": r.headers["last-modified"]}
    assert client.get(url, headers=since).status_code == 304
    assert client.head(url).status_code == 200


def test_citadel_slug_and_plain_forms(mirror, client):
    url = mirror.expected_articles("centcomcitadel")[0]
    plain = client.get(url)
    slugged = client.get(url + "/%D8%B9%D9%86%D9%88%D8%A7%D9%86")
    assert plain.status_code == slugged.status_code == 200
    assert plain.content == slugged.content
    assert f'<link rel="canonical" href="{url}"' in plain.text
