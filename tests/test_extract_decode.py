"""Charset handling: cp1256 pages declared only in the HTTP header, declared nowhere, declared
wrongly (meta or header), utf-8 mojibake, and Latin pages that must stay Latin."""
from __future__ import annotations

import codecs

import pytest

from crawler.extract.decode import declared_charsets, decode_html

ARABIC = ("<html><head><title>الشراكة</title>{meta}</head><body><p>طور الحرس الوطني لولاية "
          "فرجينيا وجمهورية طاجيكستان شراكة على مدار العقدين الماضيين تشمل مئات الأنشطة "
          "العسكرية.</p></body></html>")
PAGE = ARABIC.format(meta="")


def _page(meta: str = "") -> str:
    return ARABIC.format(meta=meta)


@pytest.mark.parametrize(("meta", "headers"), [
    ("", {"Content-Type": "text/html; charset=windows-1256"}),  # header only
    ("", {}),  # declared nowhere
    ("", {"content-type": "text/html"}),  # header without charset
    ('<meta charset="utf-8">', {}),  # wrong meta
    ('<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">', {}),
    ("", {"Content-Type": "text/html; charset=iso-8859-1"}),  # wrong header
    ("", {"Content-Type": "text/html; charset=UTF-8"}),
    ('<meta charset="iso-8859-1">', {"Content-Type": "text/html; charset=latin1"}),
])
def test_cp1256_is_recovered(meta: str, headers: dict[str, str]) -> None:
    page = _page(meta)
    assert decode_html(page.encode("cp1256"), headers) == page


def test_utf8_wins_over_a_wrong_cp1256_declaration() -> None:
    assert decode_html(PAGE.encode("utf-8"), {"Content-Type": "text/html; charset=cp1256"}) == PAGE


def test_iso_8859_6_declared() -> None:
    page = _page('<meta charset="iso-8859-6">')
    assert decode_html(page.encode("iso8859_6"), {}) == page


@pytest.mark.parametrize(("bom", "codec"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_byte_order_marks(bom: bytes, codec: str) -> None:
    assert decode_html(bom + PAGE.encode(codec), {"Content-Type": "text/html; charset=cp1256"}) \
        == PAGE


def test_utf8_mojibake_stored_as_text_is_repaired() -> None:
    raw = PAGE.encode("utf-8")
    # What a CMS stores after reading utf-8 as cp1252 (latin-1 for cp1252's five holes).
    damaged = "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                      for b in raw)
    assert decode_html(damaged.encode("utf-8"), {}) == PAGE


@pytest.mark.parametrize("headers", [{}, {"Content-Type": "text/html; charset=iso-8859-1"}])
def test_latin_pages_stay_latin(headers: dict[str, str]) -> None:
    page = ("<html><body><p>España: élève, où, garçon, naïve, façade, Ñandú, über, schön, Größe, "
            "Ærø, déjà vu à Montréal.</p></body></html>")
    assert decode_html(page.encode("cp1252"), headers) == page


def test_declared_charsets_order_and_aliases() -> None:
    data = b'<html><head><meta charset="windows-1256"></head></html>'
    assert declared_charsets(data, {"CONTENT-TYPE": "text/html; charset=ISO-8859-1"}) == \
        ["cp1252", "cp1256"]
    assert declared_charsets(b"<html></html>", None) == []
    assert declared_charsets(b'<meta charset="no-such-codec">', {}) == []


def test_never_raises() -> None:
    for data in (b"", b"\xff\xfe\x00", bytes(range(256)) * 4, b"<meta charset='utf-16'>\xff"):
        assert isinstance(decode_html(data, {"Content-Type": "text/html; charset=bogus"}), str)


def test_scrapy_style_headers() -> None:
    # dict(response.headers) in Scrapy: bytes keys, lists of bytes values.
    headers = {b"Content-Type": [b"text/html; charset=windows-1256"]}
    assert decode_html(PAGE.encode("cp1256"), headers) == PAGE  # type: ignore[arg-type]
