"""Cheap checks on raw responses before any parsing: empty, binary, not HTML, truncated.

Each returns a reason code the spider counts (`rasad/extract/<reason>`), so an operator sees
*why* pages produced nothing, not just that they did.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from crawler.extract.decode import _header

_MAGIC = (
    b"%PDF", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
    b"RIFF", b"OggS", b"ID3", b"wOFF", b"wOF2", b"\x00\x00\x01\x00", b"\x7fELF", b"MZ",
    b"Rar!", b"7z\xbc\xaf", b"BZh", b"\xfd7zXZ", b"\x28\xb5\x2f\xfd", b"ftyp",
)
_HTML_TYPES = ("text/html", "application/xhtml", "text/xml", "application/xml", "text/plain")
_HTML_MARK = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|p|article|main|h1|title)[\s>/]",
                        re.I)
_FEED_MARK = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|urlset|"
                        rb"sitemapindex|rdf:RDF)\b", re.I | re.S)
_END = re.compile(rb"</(?:html|body)\s*>", re.I)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def check_bytes(data: bytes | None, headers: Mapping[str, str] | None) -> str | None:
    """A reason code when `data` cannot be an HTML article page, else None."""
    if not data or not data.strip():
        return "empty"
    head = data[:1024]
    if head.startswith(_MAGIC) or head[4:8] == b"ftyp":
        return "binary"
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        return "binary"
    ctype = _header(headers, "content-type").split(";", 1)[0].strip().lower()
    if ctype and not ctype.startswith(_HTML_TYPES):
        return "binary" if ctype.startswith(("image/", "audio/", "video/", "font/")) \
            or ctype in ("application/octet-stream", "application/pdf", "application/zip") \
            else "not_html"
    sample = data[:65536]
    if _FEED_MARK.match(sample) or not _HTML_MARK.search(sample):
        return "not_html"
    # Control bytes other than whitespace are rare in text and common in binary payloads.
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) // 20:
        return "binary"
    length = _header(headers, "content-length").strip()
    if length.isdigit() and int(length) > len(data) and \
            "gzip" not in _header(headers, "content-encoding").lower():
        return "truncated"
    # A page cut in transfer never reaches its closing tags; every theme we know prints them.
    # Short pages too: a page cut after its headline would otherwise give a stub article.
    if not _END.search(data, max(0, len(data) - 65536)):
        return "truncated"
    return None
