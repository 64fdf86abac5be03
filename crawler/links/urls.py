"""URL canonicalisation: one key per article URL, whatever shape a link took.

A key is what `article_urls` stores and the spider checks before fetching, so two links to one
article must give one key, and two articles must never share one. Hence:
- junk around a link (whitespace, `&amp;`, CDATA, markup remnants) is scrubbed (courlan);
- scheme and host are lower-cased, the default port and the fragment dropped, `//` collapsed;
- tracking parameters are dropped: click ids (fbclid, gclid, …) and the prefixed campaign
  families (utm_*, mc_*, pk_*, …). courlan's wider tracker pattern is NOT used: it also strips
  `cid`, `uid`, `eid` and `source`, which some CMSes use as the article id;
- query parameters are sorted and percent-encoding takes one form: raw Arabic and `%D8%..` (in
  either case) give the same key (w3lib);
- a trailing slash on a non-root path without a query is dropped (`/archives/12/` and
  `/archives/12` are one article on every CMS we know; `/ar/?p=12` keeps it);
- then the outlet's own rewrites (`url_rules`, e.g. centcomcitadel's optional Arabic slug).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from crawler.config.outlets import UrlRule

# Parameters that identify a click or a campaign, never an article.
_TRACKING = re.compile(
    r"^(?:utm|mc|pk|mtm|ga|gs|itm|mkt|oly|vero|hsa|ads?)_[a-z_]*$"
    r"|^(?:fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|ysclid|twclid|igshid|igsh|ttclid|"
    r"li_fat_id|mkt_tok|_ga|_gl|_hsenc|_hsmi|ref_src|ref_url|ocid|cmpid|amp|output|"
    r"fb_action_ids|fb_action_types|fb_source|spm)$",
    re.IGNORECASE,
)
_SLASHES = re.compile(r"/{2,}")


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def canonical(url: str, rules: Iterable[UrlRule] = ()) -> str:
    """The article key of `url` (see the module docstring for every rule)."""
    return _cached(url, tuple((rule.pattern, rule.replace) for rule in rules))


# A crawl keys the same URL several times (each listing page that links it, then the stored
# article's aliases); bounded, so a long crawl's memory does not grow with it.
@lru_cache(maxsize=8192)
def _cached(url: str, rules: tuple[tuple[str, str], ...]) -> str:
    try:
        return _canonical(url, rules)
    except ValueError:  # unparseable (a broken IPv6 host…): the link itself still keys one URL
        return url.strip().split("#", 1)[0]


def _canonical(url: str, rules: tuple[tuple[str, str], ...]) -> str:
    from courlan import scrub_url

    url = strip_tracking(scrub_url(url.strip()))
    try:
        url = canonicalize_url(url, keep_fragments=False)
    except ValueError:  # a malformed port: keep the scrubbed form
        pass
    parts = urlsplit(url)
    netloc = parts.netloc.lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if (parts.scheme, port) in (("http", 80), ("https", 443)):
        netloc = netloc.rsplit(":", 1)[0]
    path = _SLASHES.sub("/", parts.path) or "/"
    if len(path) > 1 and not parts.query:  # "/ar/?p=1" names a directory: keep its slash
        path = path.rstrip("/") or "/"
    for pattern, replace in rules:
        path = re.sub(pattern, replace, path)
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def same_site(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    host_a = (a.hostname or "").removeprefix("www.")
    host_b = (b.hostname or "").removeprefix("www.")
    return host_a == host_b and (a.port == b.port or a.port is None or b.port is None)
