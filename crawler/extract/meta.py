"""Page metadata from <head> and JSON-LD, read once per page."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extract.text import clean_line, text_of

_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "report",
                  "liveblogposting"}


@dataclass
class PageMeta:
    html_lang: str = ""
    title_tag: str = ""
    og: dict[str, str] = field(default_factory=dict)  # property/name (lower-case) → first content
    article_tags: list[str] = field(default_factory=list)
    canonical: str = ""
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # flattened objects
    body_classes: frozenset[str] = frozenset()
    theme_assets: list[str] = field(default_factory=list)  # URLs under /themes/ or /plugins/

    def get(self, *keys: str) -> str:
        for key in keys:
            value = self.og.get(key)
            if value:
                return value
        return ""

    def ld_articles(self) -> list[dict[str, Any]]:
        """JSON-LD objects typed as an article, else every object (some sites type it WebPage)."""
        typed = [o for o in self.jsonld if _types(o) & _ARTICLE_TYPES]
        return typed or self.jsonld

    def ld_value(self, key: str) -> Any:
        for obj in self.ld_articles():
            if obj.get(key):
                return obj[key]
        return None


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", "")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _flatten(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            _flatten(graph, out, depth + 1)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _parse_jsonld(text: str) -> list[dict[str, Any]]:
    text = _CONTROL.sub(" ", text.strip())
    text = text.removeprefix("<!--").removesuffix("-->").strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        # Raw newlines inside strings are the usual breakage; JSON-LD is untrusted page text.
        try:
            data = json.loads(text.replace("\n", " ").replace("\r", " "), strict=False)
        except ValueError:
            return []
    out: list[dict[str, Any]] = []
    _flatten(data, out)
    return out


def read_meta(root: etree._Element) -> PageMeta:
    meta = PageMeta(html_lang=(root.get("lang") or root.get("xml:lang") or "").strip().lower())
    for el in root.iter("meta", "link", "title", "script", "body"):
        tag = el.tag
        if tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            content = el.get("content")
            if not key or content is None:
                continue
            content = unescape(content)
            if key == "article:tag":
                meta.article_tags.append(content)
            elif key not in meta.og:
                meta.og[key] = content
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and not meta.canonical:
                meta.canonical = (el.get("href") or "").strip()
            _asset(meta, el.get("href"))
        elif tag == "title":
            if not meta.title_tag:
                meta.title_tag = unescape(text_of(el))
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
                meta.jsonld.extend(_parse_jsonld(el.text))
            _asset(meta, el.get("src"))
        elif tag == "body":
            meta.body_classes = frozenset((el.get("class") or "").split())
    return meta


def _asset(meta: PageMeta, url: str | None) -> None:
    if url and len(meta.theme_assets) < 20 and ("/themes/" in url or "/plugins/" in url):
        meta.theme_assets.append(url.lower())


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    """Same host, ignoring "www." and the port-less/ported forms of one origin."""
    ha, hb = _host(a), _host(b)
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def canonical_url(meta: PageMeta, url: str) -> str:
    """<link rel=canonical> or og:url when it is absolute http(s) on the same site and not the
    site's home page (a common CMS misconfiguration); otherwise the URL we fetched."""
    for candidate in (meta.canonical, meta.get("og:url")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate.strip())
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        if not same_site(absolute, url):
            continue
        if parts.path in ("", "/") and not parts.query and urlsplit(url).path not in ("", "/"):
            continue
        return absolute.split("#", 1)[0]
    return url


def unescape(text: str) -> str:
    """Entity-decoded, whitespace-collapsed text. JSON-LD strings are never entity-decoded by
    the HTML parser (a <script> is raw text), and CMSes escape meta values twice ("&amp;quot;"),
    so `&quot;`, `&uuml;` and `&#8211;` arrive as written."""
    if "&" in text and ";" in text:
        text = html.unescape(text)
    return clean_line(text)


def ld_text(value: Any) -> str:
    """A JSON-LD value (string, object with name, or list of them) as text."""
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        parts = [ld_text(v) for v in value]
        return ", ".join(p for p in parts if p)
    return ""


def ld_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [unescape(v) for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [t for v in value if (t := ld_text(v))]
    return []
