"""Bytes → text for HTML pages, robust to the ways Arabic sites get their charset wrong.

Order of evidence: a byte-order mark, then whatever the page *declares* (HTTP header, then
<meta charset>), then validation. Declarations are only trusted when the decoded text looks like
text: Arabic sites serve windows-1256 undeclared, declared only in the HTTP header (lost when a
page is saved), or declared as utf-8/iso-8859-1 by a template that never changed its default.
Scrapy's own fallback (utf-8, then cp1252) turns such pages into Latin mojibake ("ÇáÚÑÈíÉ"), so
every candidate is scored on its script mix and the best wins.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
# Both <meta charset=x> and <meta http-equiv=Content-Type content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_SCORE_SAMPLE = 262144  # characters scored per candidate decoding: enough to tell scripts apart

# Labels browsers treat as aliases; WHATWG maps latin-1 and ascii to windows-1252.
_ALIASES = {
    "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "windows-1256": "cp1256", "x-cp1256": "cp1256", "cp-1256": "cp1256",
    "iso-8859-6": "iso8859_6", "arabic": "iso8859_6", "utf8": "utf-8", "unicode": "utf-8",
}


def _normalise(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    if not headers:
        return ""
    for key, value in headers.items():
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() == name:
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def declared_charsets(data: bytes, headers: Mapping[str, str] | None) -> list[str]:
    """Encodings the response declares, most authoritative first (HTTP header, then meta)."""
    found: list[str] = []
    match = _HEADER_CHARSET.search(_header(headers, "content-type"))
    if match:
        found.append(match.group(1))
    match = _META_CHARSET.search(data[:8192])
    if match:
        found.append(match.group(1).decode("ascii", "replace"))
    result: list[str] = []
    for label in found:
        name = _normalise(label)
        if name and name not in result:
            result.append(name)
    return result


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN_EXT = re.compile("[\u00c0-\u024f]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_BAD = re.compile("[\ufffd\x80-\x9f]")
# A Latin letter glued to an Arabic one: what a Latin page looks like decoded as cp1256.
_MIXED = re.compile(
    "[A-Za-z\u00c0-\u024f][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z\u00c0-\u024f]"
)


def text_score(text: str) -> float:
    """How much a decoded page looks like real text, per visible letter.

    Arabic letters score positive; replacement characters, C1 controls, Latin letters glued to
    Arabic ones, and accented Latin letters in Arabic-like density (mojibake) score negative.
    A French or Spanish page keeps its few accented letters without penalty: the density rule
    only fires when accented letters make up a large share of the Latin letters."""
    visible = _strip_tags(text[:_SCORE_SAMPLE])
    arabic = len(_ARABIC.findall(visible))
    latin_ext = len(_LATIN_EXT.findall(visible))
    ascii_letters = len(_ASCII_LETTER.findall(visible))
    bad = len(_BAD.findall(visible))
    mixed = len(_MIXED.findall(visible))
    letters = arabic + latin_ext + ascii_letters
    if not letters:
        return 0.0
    score = arabic - 5 * bad - 10 * mixed
    if latin_ext > 0.2 * (ascii_letters + latin_ext):
        score -= 2 * latin_ext
    else:
        score += latin_ext
    return score / letters


def _strip_tags(text: str) -> str:
    """Text outside tags, scripts and styles, by stepping from one "<" to the next: linear,
    where a regex like `<script.*?</script>|<[^>]*>` rescans the rest of the page for every
    unclosed "<script" or "<" (quadratic on hostile pages)."""
    out: list[str] = []
    pos, n = 0, len(text)
    lower = text.lower()
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:lt])
        for tag in ("script", "style"):
            if lower.startswith(tag, lt + 1):
                close = lower.find(f"</{tag}", lt)
                gt = text.find(">", close) if close >= 0 else -1
                break
        else:
            gt = text.find(">", lt)
        if gt < 0:
            break
        out.append(" ")
        pos = gt + 1
    return "".join(out)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _latin_bytes(text: str) -> bytes | None:
    """The bytes a cp1252 decoder (with latin-1 for its five holes) turned into `text`."""
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x80 or 0xa0 <= o <= 0xff or 0x80 <= o <= 0x9f:
            out.append(o)
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


def fix_utf8_mojibake(text: str) -> str:
    """Undo utf-8 bytes that were decoded as cp1252/latin-1 and stored ("Ø§Ù„…" for "ال…").

    Only tried when the damaged form is frequent, and kept only when it scores better."""
    if text.count("Ø") + text.count("Ù") < 10:
        return text
    raw = _latin_bytes(text)
    if raw is None:
        return text
    repaired = _try(raw, "utf-8")
    if repaired is not None and text_score(repaired) > text_score(text):
        return repaired
    return text


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few invalid bytes (a bad byte pasted into a template, a cut multibyte
    sequence), decoded with the bad bytes replaced: re-decoding the whole page as cp1256/cp1252
    for one byte would turn all of it into mojibake. Text in a single-byte charset is not
    mistaken for it: its non-ASCII bytes almost never form valid UTF-8 sequences."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if wide >= 20 * bad else None


def decode_html(data: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Decode an HTML response body; never raises."""
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], encoding)
            if text is not None:
                return text
    declared = declared_charsets(data, headers)
    # Strict utf-8 validity is very strong evidence: cp1256/cp1252 text with letters above 0x7f
    # almost never forms valid utf-8 sequences, so a page that decodes is utf-8 whatever it says.
    utf8 = _try(data, "utf-8")
    if utf8 is not None:
        return fix_utf8_mojibake(utf8)
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return fix_utf8_mojibake(damaged)
    candidates: list[str] = []
    for name in [*declared, "cp1256", "cp1252"]:
        if name not in candidates and name not in ("utf-8",):
            candidates.append(name)
    best_text, best_score = None, float("-inf")
    for rank, name in enumerate(candidates):
        text = _try(data, name)
        if text is None:
            continue
        # A small bonus for the declared order breaks ties between equally plausible decodings.
        score = text_score(text) + (0.01 * (len(candidates) - rank))
        if score > best_score:
            best_text, best_score = text, score
    if best_text is None:
        best_text = data.decode(declared[0] if declared else "cp1256", errors="replace")
    return best_text
