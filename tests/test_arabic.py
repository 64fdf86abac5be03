from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.arabic import (
    clitic_stems,
    fold_variants,
    iter_tokens,
    normalize,
    skeleton,
    strip_diacritics,
    to_ascii_digits,
    tokens,
)

EVAL = Path(__file__).parent / "data" / "topics"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("متعددة", "متعدّدة"),  # shadda (GUIDE §5: FTS5 splits on it)
        ("متعددة", "مُتَعَدِّدَةٌ"),  # full harakat and tanwin
        ("الحرس", "الحـــرس"),  # tatweel
        ("العالمية", "العالمیة"),  # Persian yeh (seed 004)
        ("الكويت", "الکويت"),  # Persian keheh
        ("الرحمن", "الرحمٰن"),  # superscript alef
        ("أمن", "امن"),
        ("إسلام آباد", "اسلام اباد"),
        ("مستوى", "مستوي"),  # alef maqsura
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("مسؤول", "مسئول"),  # hamza seats (Levantine vs Egyptian spelling)
        ("شؤون", "شئون"),
        ("ٱلله", "الله"),  # alef wasla
        ("الحرس\u200c الوطني", "الحرس الوطني"),  # ZWNJ
        ("\u200fالحرس الوطني\u200e", "الحرس الوطني"),  # RLM/LRM
        ("ﺍﻟﺤﺮﺱ", "الحرس"),  # presentation forms (PDF copy-paste)
        ("ا\u0654من", "أمن"),  # hamza typed as a combining mark
        ("NATO  Exercise", "nato exercise"),
        ("الحرس\n\t الوطني ", "الحرس الوطني"),
    ],
)
def test_normalize_folds_variants(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_normalize_keeps_distinct_letters_apart() -> None:
    # Folds must not merge different consonants.
    assert normalize("قطر") != normalize("قطار")
    assert normalize("حرس") != normalize("درس")
    assert normalize("على") == normalize("علي")  # documented cost of the ى → ي fold


def test_digits() -> None:
    assert to_ascii_digits("١٠ تموز ٢٠٢٥") == "10 تموز 2025"
    assert to_ascii_digits("۱۴۰۳") == "1403"
    assert normalize("٣٫٧ ملايين") == "3.7 ملايين"
    assert tokens("عام ٢٠٠٣") == tokens("عام 2003") == ["عام", "2003"]


def test_strip_diacritics_is_display_safe() -> None:
    assert strip_diacritics("مُتَعَدِّدَة") == "متعددة"
    assert strip_diacritics("الحـــرس") == "الحرس"
    # Letters stay as written: hamzas and teh marbuta are not folded.
    assert strip_diacritics("أُسرة") == "أسرة"


def test_tokens_and_spans() -> None:
    text = "وبالحرسِ الوطنيّ، في الحـــرس"
    assert tokens(text) == ["وبالحرس", "الوطني", "في", "الحرس"]
    toks = iter_tokens(text)
    assert [t.norm for t in toks] == tokens(text)
    assert text[toks[1].start : toks[1].end] == "الوطنيّ"
    assert text[toks[3].start : toks[3].end] == "الحـــرس"


def test_iter_tokens_agrees_with_tokens_on_eval_set() -> None:
    # The search layer tokenises normalize(text); the matcher uses iter_tokens. They must agree.
    for path in EVAL.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for text in (row["title"], row["body"]):
                assert [t.norm for t in iter_tokens(text)] == tokens(text), row["id"]


@pytest.mark.parametrize(
    ("token", "stem"),
    [
        ("وبالحرس", "حرس"),
        ("وبالحرس", "الحرس"),
        ("للحرس", "حرس"),
        ("والحرس", "الحرس"),
        ("فالحرس", "حرس"),
        ("لقطر", "قطر"),
        ("وطاجيكستان", "طاجيكستان"),
        ("كالحرس", "حرس"),
    ],
)
def test_clitic_stems(token: str, stem: str) -> None:
    assert stem in clitic_stems(token)


def test_clitic_stems_never_too_short() -> None:
    assert all(len(s) >= 2 for s in clitic_stems("ولي"))
    assert clitic_stems("في") == ("في",)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أميركي", "أمريكي"),
        ("الأميركية", "الأمريكية"),
        ("فرجينيا", "فيرجينيا"),
        ("ميسيسيبي", "مسيسيبي"),
        ("قيرغيزستان", "قرغيزستان"),
        ("طاجيكستان", "طاجكستان"),
        ("تركمانستان", "تركمنستان"),
        ("أوزبكستان", "ازبكستان"),
        ("كولورادو", "كلورادو"),
        ("كنتاكي", "كينتاكي"),
        ("واشنطن", "واشنطون"),
    ],
)
def test_skeleton_merges_name_variants(a: str, b: str) -> None:
    assert skeleton(normalize(a)) == skeleton(normalize(b))
    assert fold_variants(a) == fold_variants(b)


def test_skeleton_keeps_edges() -> None:
    # First and last letters stay, so short names keep their identity.
    assert skeleton("قطر") == "قطر"
    assert skeleton("اريزونا") == "ارزنا"
    assert skeleton("مونتانا") != skeleton("نيفادا")


def test_normalize_is_idempotent_and_total() -> None:
    samples = ["", "   ", "abc", "مُتَعَدِّدَة الحـــرس ٢٠٢٥", "\u200f\u200c", "ﷺ ﻻ"]
    for s in samples:
        assert normalize(normalize(s)) == normalize(s)
