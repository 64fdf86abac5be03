"""URL canonicalisation: every shape a link to one article takes gives one key; two articles
never share one."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from crawler.config.outlets import load_config
from crawler.links.urls import canonical

OUTLETS = load_config().outlets
CITADEL = OUTLETS["centcomcitadel"].url_rules
BASE = "https://centcomcitadel.com/ar/articles/ssc/features/2025/07/10/feature-03"
SLUG = "حرس-فرجينيا-الوطني-وطاجيكستان"


@pytest.mark.parametrize("variant", [
    BASE,
    BASE + "/",
    f"{BASE}/{SLUG}",
    f"{BASE}/{SLUG}/",
    f"{BASE}/{quote(SLUG)}",
    f"{BASE}/{quote(SLUG).lower()}",  # lower-case percent escapes
    f"{BASE}/{SLUG}?utm_source=telegram&utm_medium=social",
    f"{BASE}?fbclid=IwAR0abc#comments",
    f"HTTPS://CentcomCitadel.COM:443{BASE[len('https://centcomcitadel.com'):]}",
    f"  {BASE}/{SLUG}?gclid=x&mc_cid=1&_ga=2.1  ",
    BASE.replace("/ar/", "//ar/"),
])
def test_citadel_variants_give_one_key(variant: str) -> None:
    assert canonical(variant, CITADEL) == BASE


def test_citadel_articles_stay_apart() -> None:
    other_number = BASE.replace("feature-03", "feature-30")
    other_day = BASE.replace("/10/feature", "/11/feature")
    keys = {canonical(u, CITADEL) for u in (BASE, other_number, other_day)}
    assert len(keys) == 3


@pytest.mark.parametrize(("variant", "key"), [
    ("https://maseer.net/archives/4521/", "https://maseer.net/archives/4521"),
    ("http://maseer.net:80/archives/4521?utm_campaign=x", "http://maseer.net/archives/4521"),
    ("https://maseer.net/archives/4521/#respond", "https://maseer.net/archives/4521"),
    # WordPress plain permalinks: the query is the article, the directory keeps its slash
    ("https://alqaed.pk/ar/?p=812&amp;utm_medium=rss", "https://alqaed.pk/ar/?p=812"),
    ("https://alqaed.pk/ar/?utm_source=fb&p=812", "https://alqaed.pk/ar/?p=812"),
    ("https://alqaed.pk/ar/?p=812#comments", "https://alqaed.pk/ar/?p=812"),
])
def test_wordpress_variants(variant: str, key: str) -> None:
    assert canonical(variant) == key


def test_ids_that_look_like_trackers_are_kept() -> None:
    # courlan's wide tracker pattern would drop these; some CMSes use them as the article id.
    for param in ("cid", "uid", "eid", "source", "id", "p", "page"):
        assert canonical(f"https://x.example/news?{param}=5") != canonical(
            f"https://x.example/news?{param}=6"), param


def test_query_order_and_arabic_query_values() -> None:
    assert canonical("https://x.example/a?b=2&a=1") == canonical("https://x.example/a?a=1&b=2")
    assert canonical("https://x.example/?s=حرس") == canonical("https://x.example/?s=%D8%AD%D8%B1%D8%B3")


def test_malformed_urls_do_not_raise() -> None:
    assert canonical("https://x.example:44x3/a").startswith("https://x.example")
    assert canonical("http://[::1/a")  # unbalanced IPv6 bracket: some key, no exception
