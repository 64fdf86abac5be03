"""The one Arabic normaliser: search indexing, search queries and topic matching all call it.

`normalize()` is for *matching only*: callers keep the original text for display. It is a pure,
deterministic function of its input (no locale, no configuration), so the FTS index written today
and the query typed next month fold the same way.

Choices, and what they cost (see also the README's "Arabic search"):
- NFKC first: presentation forms (ﻻ, ﺍ…) from PDF copy-paste become base letters, full-width
  Latin becomes ASCII, and a hamza typed as a combining mark (ا + U+0654) composes to أ before it
  is folded. NFKC never merges two distinct base Arabic letters, so it costs no precision.
- Harakat, superscript alef, Quranic marks and tatweel are removed: FTS5's unicode61 tokenizer
  treats them as separators ("متعدّدة" → two tokens) or keeps them inside tokens ("الحـــرس").
- أ إ آ ٱ → ا, ى → ي, ة → ه: the classic light-stemmer folds. Writers and outlets drop hamzas and
  swap ى/ي and ة/ه freely; the few real minimal pairs (على/علي) cost little precision in news.
- ؤ ئ → ء: the seat of a medial hamza is an orthographic convention (Egyptian مسئول/شئون vs
  Levantine مسؤول/شؤون), so folding both seats onto the bare hamza unifies those pairs. Folding
  ؤ → و and ئ → ي instead (as some stemmers do) would NOT unify them (مسوول ≠ مسيول).
- Persian/Urdu letters (ی ې ك ڪ ہ ە ھ ۃ) fold onto their Arabic look-alikes: outlets with
  Persian/Urdu keyboards type them (seed 004: "العالمیة").
- Arabic-Indic and Persian digits → ASCII; Latin is lower-cased; zero-width and bidi controls are
  removed (they sit inside words and would split or glue tokens); whitespace collapses to one space.

Name variants (أميركي/أمريكي, فرجينيا/فيرجينيا, ميسيسيبي/مسيسيبي, قيرغيزستان/قرغيزستان) are NOT
folded by `normalize()`: the only principled fold (drop medial long vowels) would merge common
words (كتاب/كتب, قطار/قطر). `skeleton()` computes that key for callers that restrict it to proper
names — the topic gazetteers do, and a search layer may index it in a separate column.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# --- character classes ------------------------------------------------------------------------
# Arabic combining marks: Quranic annotation signs (0610–061A), harakat/tanwin/shadda/sukun and
# hamza/madda marks (064B–065F), superscript alef (0670), Quranic small marks (06D6–06ED, incl. the
# small waw/yeh letters 06E5/06E6 used as vowel signs), Arabic Extended-A marks (08D3–08FF).
_MARKS = (
    [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, 0x0674]
    + [*range(0x06D6, 0x06EE)]
    + [*range(0x08D3, 0x0900)]
)
_TATWEEL = 0x0640
# Zero-width and bidi controls that editors and CMSes leave inside words. ZWSP is removed too:
# in Arabic text it is an editor artefact, not a word boundary.
_INVISIBLE = [
    0x00AD, 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
    *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF,
]

_LETTER_FOLDS = {
    # alef with hamza/madda/wasla/wavy hamza → bare alef
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    # hamza seats → bare hamza (مسؤول/مسئول, شؤون/شئون)
    "ؤ": "ء", "ئ": "ء",
    # alef maqsura and Persian/Urdu/Pashto yeh forms → yeh
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي", "ؽ": "ي", "ؾ": "ي", "ؿ": "ي", "ے": "ي",
    # keheh and swash kaf → kaf
    "ک": "ك", "ڪ": "ك", "ػ": "ك", "ؼ": "ك",
    # teh marbuta and Urdu/Kurdish heh forms → heh
    "ة": "ه", "ۃ": "ه", "ہ": "ه", "ۂ": "ه", "ە": "ه", "ھ": "ه", "ۀ": "ه",
    # Arabic decimal and thousands separators, so "3٫7" reads like "3.7"
    "٫": ".", "٬": ",",
}
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}

_STRIP_TABLE: dict[int, int | str | None] = dict.fromkeys([*_MARKS, _TATWEEL], None)
_NORMALIZE_TABLE: dict[int, int | str | None] = {
    **dict.fromkeys([*_MARKS, _TATWEEL, *_INVISIBLE], None),
    **{ord(k): v for k, v in _LETTER_FOLDS.items()},
    **_DIGITS,
}

_LETTER_TABLE = {ord(k): v for k, v in _LETTER_FOLDS.items()}

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# A word in the *original* text: word characters plus everything normalize() deletes, so a word
# written with harakat, tatweel or a ZWNJ stays one span.
_RAW_WORD = re.compile(
    "[\\w"
    + "".join(re.escape(chr(c)) for c in sorted({*_MARKS, _TATWEEL, *_INVISIBLE}))
    + "]+"
)


# --- public API -------------------------------------------------------------------------------
def normalize(text: str) -> str:
    """Fold `text` for matching and search (see module docstring). Never use it for display."""
    if not text:
        return ""
    if not text.isascii():
        # is_normalized is a quick check; most article text is already NFKC.
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        text = text.translate(_NORMALIZE_TABLE)
    return _SPACES.sub(" ", text.lower()).strip()


def strip_diacritics(text: str) -> str:
    """Remove harakat, superscript alef, Quranic marks and tatweel; letters stay as written.

    Display-safe: "مُتَعَدِّدَة" → "متعددة", "الحـــرس" → "الحرس", hamzas and ة untouched."""
    # NFC first so a hamza typed as a combining mark composes onto its letter instead of vanishing.
    return unicodedata.normalize("NFC", text).translate(_STRIP_TABLE)


def fold_letters(text: str) -> str:
    """The letter folds of `normalize()` alone (hamza seats, alef forms, ى/ي, ة/ه, Persian
    letters, Arabic decimal separators); marks, digits, case and spacing untouched."""
    return text.translate(_LETTER_TABLE)


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic (٠–٩) and Persian (۰–۹) digits → 0–9; everything else untouched."""
    return text.translate(_DIGITS)


def tokens(text: str) -> list[str]:
    """Word tokens of `normalize(text)`, the same units FTS5's unicode61 tokenizer will see."""
    return list(_tokens(text))


@lru_cache(maxsize=4)
def _tokens(text: str) -> tuple[str, ...]:
    # Remembered for the last few texts: a worker reads an article's body for its fingerprints
    # (storage.stories.Text) and again for its search index words.
    return tuple(_WORD.findall(normalize(text)))


class Token(NamedTuple):
    """A normalised word with the span of the original characters it came from."""

    norm: str
    start: int
    end: int


def iter_tokens(text: str) -> list[Token]:
    """Like `tokens()` but each token keeps its span in the original `text`, so a match can be
    shown as the writer wrote it ("وبالحرس الوطنيّ", not "وبالحرس الوطني")."""
    out: list[Token] = []
    new = tuple.__new__  # Token(...) without NamedTuple's Python-level __new__
    for m in _RAW_WORD.finditer(text):
        parts = _norm_word(m.group())
        if parts:
            start, end = m.span()
            for part in parts:
                out.append(new(Token, (part, start, end)))
    return out


@lru_cache(maxsize=4)
def token_spans(text: str) -> tuple[Token, ...]:
    """`iter_tokens(text)`, remembered for the last few texts: every topic reads the same
    article title and body (a worker tokenised each of them once per topic)."""
    return tuple(iter_tokens(text))


@lru_cache(maxsize=65536)
def _norm_word(raw: str) -> tuple[str, ...]:
    # Vocabulary repeats heavily inside and across articles, so per-word caching pays off.
    return tuple(_WORD.findall(normalize(raw)))


# --- clitics and name variants ------------------------------------------------------------------
# Proclitics in the order they attach: conjunction (و ف), preposition (ب ل ك), article (ال).
# ل + ال contracts to لل ("للحرس"). Longest first so the bare stem comes out of the loop last.
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")
_PREFIXES = sorted(
    {c + p + a for c in _CONJ for p in _PREP for a in ("", "ال")} | {c + "لل" for c in _CONJ},
    key=len,
    reverse=True,
)
_PREFIXES.remove("")
_MIN_STEM = 2


@lru_cache(maxsize=65536)
def clitic_stems(token: str) -> tuple[str, ...]:
    """The token and every reading of it with proclitics removed: "وبالحرس" → ("وبالحرس",
    "بالحرس"… "الحرس", "حرس"). Takes a *normalised* token.

    Over-generation is harmless for matching against a fixed vocabulary: a wrong split ("ولاية" →
    "لايه") only matters if it happens to equal a vocabulary word, and stems shorter than two
    letters are never produced."""
    seen = [token]
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_STEM:
            stem = token[len(prefix):]
            if stem not in seen:
                seen.append(stem)
    return tuple(seen)


_LONG_VOWELS = frozenset("اويء")


def skeleton(word: str) -> str:
    """Variant key for a *normalised proper name*: medial ا و ي ء are dropped, the first and the
    last letter stay. أمريكي/أميركي → امركي, فرجينيا/فيرجينيا → فرجنا, ميسيسيبي/مسيسيبي →
    مسسبي, قيرغيزستان/قرغيزستان → قرغزستن.

    Transliterated names are where writers add or omit long vowels; ordinary words differ by
    exactly those letters (كتاب/كتب, قطار/قطر), so only apply this to names, and to names long
    enough (the gazetteers use ≥ 5 letters) that a collision with a common word is unlikely."""
    if len(word) <= 2:
        return word
    middle = "".join(ch for ch in word[1:-1] if ch not in _LONG_VOWELS)
    return word[0] + middle + word[-1]


def fold_variants(text: str) -> str:
    """`normalize(text)` with every token replaced by its `skeleton()`. Lossy by design (it merges
    كتاب and كتب): meant for name fields or a secondary "fuzzy" search column, not for bodies."""
    return " ".join(skeleton(t) for t in tokens(text))
