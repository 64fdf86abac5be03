"""Fault endpoints: URLs shaped like articles, linked from listings, that are not articles.

Real sites produce all of these (a cache serving an empty body, an image behind a rewritten URL,
a connection cut mid-page, a deleted post, a database outage). A correct crawl stores none of
them and keeps going.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .site import SITE_EPOCH, Response

if TYPE_CHECKING:  # pragma: no cover
    from .site import Site

KINDS = ("empty", "binary", "truncated", "missing", "error")

# One path per kind and outlet; all match the outlet's article_url pattern in config/outlets.toml.
_PATHS = {
    "centcomcitadel": [f"/ar/articles/ssc/features/2025/06/30/feature-{n}" for n in range(91, 96)],
    "maseer": [f"/archives/{n}" for n in (9101, 9102, 9103, 9104, 9105)],
    "alqaed": [f"/ar/?p={n}" for n in (99101, 99102, 99103, 99104, 99105)],
    "rafid": [f"/2025/06/30/%d8%aa%d8%ad%d8%af%d9%8a%d8%ab-{n}/" for n in range(1, 6)],
    "wahat": [f"/politics/{n}-%D8%B9%D8%A7%D8%AC%D9%84" for n in range(99101, 99106)],
}

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def fault_paths(outlet: str) -> list[str]:
    return list(_PATHS[outlet])


def fault_kind(outlet: str, path_qs: str) -> str | None:
    try:
        return KINDS[_PATHS[outlet].index(path_qs)]
    except ValueError:
        return None


def fault_response(site: Site, kind: str) -> Response:
    if kind == "empty":
        return site.finish(200, b"", "text/html; charset=UTF-8", SITE_EPOCH)
    if kind == "binary":
        return site.finish(200, PNG, "text/html; charset=UTF-8", SITE_EPOCH)
    if kind == "truncated":
        # The page head and the site header arrive, then the connection ends inside a tag,
        # before any article text.
        page = site.theme.home(site).encode("utf-8")
        cut = page.index(b"<body")
        cut = page.index(b'<a href="', cut + 2000) + 12
        return site.finish(200, page[:cut], "text/html; charset=UTF-8", SITE_EPOCH)
    if kind == "missing":
        return site.not_found()
    if kind == "error":
        body = (b"<!DOCTYPE html><html dir='ltr'><head><meta charset='utf-8'><title>Database Error"
                b"</title></head><body><h1>Error establishing a database connection</h1></body>"
                b"</html>")
        response = site.finish(500, body, "text/html; charset=UTF-8", SITE_EPOCH)
        response.headers["Retry-After"] = "3600"
        return response
    raise ValueError(kind)
