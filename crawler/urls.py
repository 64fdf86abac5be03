"""URL canonicalisation: one key per article URL, whatever shape a link took."""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from crawler.config import UrlRule

# Parameters that identify a click, never an article.
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|"
    r"_ga|_gl|ref_src|ocid|cmpid|amp|output)$",
    re.IGNORECASE,
)


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def canonical(url: str, rules: Iterable[UrlRule] = ()) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking parameters dropped,
    percent-encoding in one form (raw Arabic and %D8%.. paths give the same key), then the
    outlet's own rewrites (e.g. an optional slug)."""
    url = canonicalize_url(strip_tracking(url.strip()), keep_fragments=False)
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if (parts.scheme, parts.port) in (("http", 80), ("https", 443)):
        netloc = netloc.rsplit(":", 1)[0]
    path = parts.path or "/"
    for rule in rules:
        path = re.sub(rule.pattern, rule.replace, path)
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def same_site(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    host_a, host_b = (a.hostname or "").removeprefix("www."), (b.hostname or "").removeprefix("www.")
    return host_a == host_b and (a.port == b.port or a.port is None or b.port is None)
