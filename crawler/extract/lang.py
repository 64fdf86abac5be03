"""Language of an article from its own text: "ar", "en" or "other".

Script decides first. Arabic script is shared with Persian and Urdu, which use letters Arabic
does not (پ چ ژ گ, Urdu ٹ ڈ ڑ ں ے) and their own function words; an Arabic article with a stray
Persian ی (seed 004: "العالمیة") must stay Arabic, so letters are weighed by frequency and
confirmed by function words. Latin script is English only when English function words are common.
"""
from __future__ import annotations

import re

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_PERSIAN_URDU_LETTERS = re.compile("[پچژگٹڈڑںےھۀۓ]")
_WORD = re.compile(r"[^\W\d_]+")
_EN_WORDS = frozenset("the of and to in is that for on with as was by at from it are be this "
                      "has have an which said will were their not but or its".split())
_FA_UR_WORDS = frozenset("است این که را می‌شود برای با از های ہے کے میں کی اور کو سے نے "
                         "پر بھی ایک".split())
_AR_WORDS = frozenset("في من على إلى الى أن ان التي الذي عن مع هذا هذه كان قد بين وقال".split())


def detect_language(text: str, hint: str = "") -> str:
    """"ar", "en" or "other" for an article's title + body. `hint` (html lang) breaks ties only."""
    sample = text[:6000]
    arabic = len(_ARABIC_SCRIPT.findall(sample))
    latin = len(_LATIN.findall(sample))
    words = _WORD.findall(sample.lower())
    letters = sum(map(len, words))
    if letters < 20:
        hint = hint.split("-")[0].lower()
        return hint if hint in ("ar", "en") else "other"
    if max(arabic, latin) < 0.5 * letters:  # another script: Bengali, Cyrillic, Chinese…
        return "other"
    if arabic >= latin:
        persian = len(_PERSIAN_URDU_LETTERS.findall(sample))
        fa_words = sum(1 for w in words if w in _FA_UR_WORDS)
        ar_words = sum(1 for w in words if w in _AR_WORDS)
        if persian > 0.01 * arabic and fa_words > ar_words:
            return "other"
        return "ar"
    en_words = sum(1 for w in words if w in _EN_WORDS)
    return "en" if en_words >= 0.08 * max(1, len(words)) else "other"
