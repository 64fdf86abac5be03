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
# Feed roots, matched at one position after the prolog (never a regex over a run of comments:
# `(?:<!--.*?-->\s*)*` backtracks exponentially on a page opening with a few dozen comments).
_FEED_ROOT = re.compile(rb"<(?:rss|feed|urlset|sitemapindex|rdf:RDF)\b", re.I)
_SPACE = re.compile(rb"[ \t\r\n\f]*")
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
    if _is_feed(data[:65536]) or not _HTML_MARK.search(data):
        return "not_html"
    # Control bytes other than whitespace are rare in text and common in binary payloads.
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) // 20:
        return "binary"
    length = _header(headers, "content-length").strip()
    if length.isdigit() and int(length) > len(data) and \
            "gzip" not in _header(headers, "content-encoding").lower():
        return "truncated"
    if _cut_short(data):
        return "truncated"
    return None


_END = re.compile(rb"</(?:html|body)\s*>", re.I)
_TAG_NAME = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())


def _cut_short(data: bytes) -> bool:
    """A transfer cut short with no Content-Length to say so. A page without </body></html> is
    legal HTML (those end tags are optional) when it ends on a closed element; a page that
    stops inside a tag, or in the text of an element it opened last (a page cut after its
    headline, in a paragraph), is not whole. A page ending right after a start tag is whole:
    templates leave a stray `<p>` after their footer, while a transfer stopping exactly at the
    end of a tag is rare (it stops inside a tag or a text far more often)."""
    if _END.search(data, max(0, len(data) - 65536)):
        return False
    tail = data[-4096:].rstrip()
    lt, gt = tail.rfind(b"<"), tail.rfind(b">")
    if lt > gt:
        return True  # inside a tag
    last = _TAG_NAME.match(tail, lt) if lt >= 0 else None
    if last is None:  # a comment, a doctype, or no tag at all in the tail
        return False
    closing, name = last.group(1), last.group(2).lower()
    if not closing and gt == len(tail) - 1:
        return False
    return not closing and name not in _VOID and not tail[:gt + 1].endswith(b"/>")


def _is_feed(sample: bytes) -> bool:
    """An XML feed or sitemap: its root element after the XML declaration and any comments,
    found by stepping over them (linear in the sample, whatever it holds)."""
    pos = _SPACE.match(sample, sample.startswith(b"\xef\xbb\xbf") and 3 or 0).end()
    while sample.startswith((b"<?", b"<!--"), pos):
        end = sample.find(b"?>" if sample[pos + 1] == 0x3f else b"-->", pos + 2)
        if end < 0:
            return False
        pos = _SPACE.match(sample, end + (2 if sample[pos + 1] == 0x3f else 3)).end()
    return bool(_FEED_ROOT.match(sample, pos))
