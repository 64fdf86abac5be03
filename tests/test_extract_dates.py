"""Date parsing: every Arabic month family, double names, digit systems, Hijri, the other
languages a page without rules may be in, update dates, and the order in which a page's dates
are trusted."""
from __future__ import annotations

import datetime as dt

import pytest

from crawler.extract.dates import dates_in, parse_arabic_date, parse_date_text, parse_iso
from crawler.extract.flags import date_flags
from crawler.extract.hijri import hijri_to_gregorian

D = dt.date

CASES = [
    # Egyptian / Gulf names, WordPress "F j, Y" in the ar locale, with a weekday
    ("فبراير 28, 2025", D(2025, 2, 28)),
    ("الجمعة, يوليو 4, 2025", D(2025, 7, 4)),
    ("12 مارس 2024", D(2024, 3, 12)),
    ("3 إبريل 2023", D(2023, 4, 3)),
    ("3 ابريل 2023", D(2023, 4, 3)),
    ("9 يونيه 2021", D(2021, 6, 9)),
    # Levantine / Iraqi
    ("12 كانون الثاني 2024", D(2024, 1, 12)),
    ("1 شباط 2020", D(2020, 2, 1)),
    ("7 آذار 2019", D(2019, 3, 7)),
    ("5 تشرين أول 2021", D(2021, 10, 5)),
    ("30 تشرين الثاني 2022", D(2022, 11, 30)),
    ("25 كانون الأول 2023", D(2023, 12, 25)),
    ("15 أيلول 2024", D(2024, 9, 15)),
    # Morocco
    ("7 يوليوز 2025", D(2025, 7, 7)),
    ("4 غشت 2024", D(2024, 8, 4)),
    ("15 شتنبر 2024", D(2024, 9, 15)),
    ("2 نونبر 2023", D(2023, 11, 2)),
    ("1 دجنبر 2023", D(2023, 12, 1)),
    ("20 ماي 2022", D(2022, 5, 20)),
    # Algeria / Tunisia
    ("1 جانفي 2024", D(2024, 1, 1)),
    ("2 فيفري 2024", D(2024, 2, 2)),
    ("3 أفريل 2024", D(2024, 4, 3)),
    ("4 جوان 2024", D(2024, 6, 4)),
    ("الاثنين 15 جويلية 2024", D(2024, 7, 15)),
    ("5 أوت 2024", D(2024, 8, 5)),
    # Double names, stray spaces, brackets
    ("19 حزيران/يونيو 2025", D(2025, 6, 19)),
    ("26 أغسطس/ آب 2024", D(2024, 8, 26)),
    ("10 تموز (يوليو) 2025", D(2025, 7, 10)),
    ("28 آب - أغسطس 2024", D(2024, 8, 28)),
    ("14 أيار/مايو 2018", D(2018, 5, 14)),
    # Arabic-Indic and Persian digits
    ("١٠ تموز/يوليو ٢٠٢٥", D(2025, 7, 10)),
    ("الخميس ١٠ تموز ٢٠٢٥", D(2025, 7, 10)),
    ("۱۵ شتنبر ۲۰۲۴", D(2024, 9, 15)),
    # Numeric: ISO, WordPress "Y/m/d", day-first
    ("2025-07-10", D(2025, 7, 10)),
    ("2022/08/20", D(2022, 8, 20)),
    ("20/08/2022", D(2022, 8, 20)),
    ("٢٠/٠٨/٢٠٢٢", D(2022, 8, 20)),
    # English (bilingual themes)
    ("October 27, 2023", D(2023, 10, 27)),
    ("21 April 2022", D(2022, 4, 21)),
    # Harakat and tatweel do not hide a month
    ("10 تمّوز 2025", D(2025, 7, 10)),
    ("10 تمـــوز 2025", D(2025, 7, 10)),
    # The region's other press and the wider web a page without rules may come from
    ("14 Şubat 2025 Cuma", D(2025, 2, 14)),
    ("7 ноября 2023 г.", D(2023, 11, 7)),
    ("Samstag, 9. September 2017", D(2017, 9, 9)),
    ("1er mars 2018", D(2018, 3, 1)),
    ("le 9 sept. 2025 à 10h", D(2025, 9, 9)),
    ("12 de marzo de 2020", D(2020, 3, 12)),
    ("Okt. 3, 2019", D(2019, 10, 3)),
    ("2020年07月12日", D(2020, 7, 12)),
    ("2023년 11월 7일", D(2023, 11, 7)),
    # Two-digit years, the same separator twice
    ("كتب: أحمد حسن | 31.10.24", D(2024, 10, 31)),
    ("12/05/99", D(1999, 5, 12)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_visible_dates(text: str, expected: dt.date) -> None:
    assert parse_arabic_date(text) == expected


@pytest.mark.parametrize("text", [
    "", "لا تاريخ هنا", "في مايو/ أيار أنها سترصد", "بين 10-20 أغسطس/ آب الجاري",
    "يوم 19 حزيران/يونيو، وذلك", "الكتاب 2020 كتاب", "31 شباط 2024", "باب 12 2020",
    "version 1.10.23.4", "3.5 and 1.2.3", "31.10/24",
])
def test_not_a_full_date(text: str) -> None:
    assert parse_arabic_date(text) is None


def test_month_names_must_be_whole_words() -> None:
    # "اب" (August) hides in "كتاب", "مارس" in "يمارس".
    assert parse_arabic_date("5 كتاب 2020") is None
    assert parse_arabic_date("5 يمارس 2020") is None


def test_hijri_only_when_it_is_the_only_date() -> None:
    assert parse_arabic_date("09 رجب 1446هـ") == D(2025, 1, 9)
    assert parse_date_text("09 رجب 1446هـ") == (D(2025, 1, 9), "hijri")
    both = "الخميس 9 كانون الثاني 2025 الموافق 09 رجب 1446هـ"
    assert parse_date_text(both) == (D(2025, 1, 9), "gregorian")
    assert parse_arabic_date("١ رمضان ١٤٤٦ هـ") == D(2025, 3, 1)


def test_update_dates_are_marked() -> None:
    # A revision's date ("Updated", "آخر تحديث", "Aktualisiert am") is told from the publication.
    assert dates_in("آخر تحديث: 9 مارس 2025 نشر في 7 مارس 2025") == [
        (D(2025, 3, 9), "gregorian", True), (D(2025, 3, 7), "gregorian", False)]
    assert dates_in("26. September 2019 — Aktualisiert am 19.02.2020")[1][2] is True
    assert dates_in("Updated: May 3, 2021")[0][2] is True
    assert dates_in("Published May 1, 2021")[0][2] is False


def test_hijri_conversion_anchors() -> None:
    # Umm al-Qura dates, as Gulf outlets print them.
    assert hijri_to_gregorian(1446, 7, 1) == D(2025, 1, 1)
    assert hijri_to_gregorian(1446, 9, 1) == D(2025, 3, 1)
    assert hijri_to_gregorian(1445, 9, 1) == D(2024, 3, 11)
    assert hijri_to_gregorian(1443, 5, 28) == D(2022, 1, 1)  # the tabular calendar says 27
    assert hijri_to_gregorian(1446, 2, 30) == D(2024, 9, 3)  # Safar 1446 has 30 days there
    assert hijri_to_gregorian(1446, 9, 30) is None  # but Ramadan 1446 has 29
    assert hijri_to_gregorian(1446, 13, 1) is None


def test_hijri_matches_the_mirror_renderer() -> None:
    from crawler.dev.mirror.dates import gregorian_to_hijri

    day = D(2022, 1, 1)
    while day < D(2026, 1, 1):
        assert hijri_to_gregorian(*gregorian_to_hijri(day)) == day
        day += dt.timedelta(days=7)


def test_iso_timestamps_keep_the_outlets_day() -> None:
    # 00:01 in UTC-5 is still the 4th where the outlet is.
    assert parse_iso("2022-05-04T00:01:53-05:00") == D(2022, 5, 4)
    assert parse_iso("2025-07-26T19:30:00+05:00") == D(2025, 7, 26)
    assert parse_iso("not a date") is None


def test_date_flags() -> None:
    today = D(2025, 7, 1)
    assert date_flags("2025-07-02", None, today) == []
    assert date_flags("2025-07-05", None, today) == ["future"]
    assert date_flags("2025-06-10", "2025-06-01T08:00:00", today) == ["long_after_first_seen"]
    assert date_flags("2025-06-02", "2025-06-01", today) == []
    assert date_flags("2020-01-01", "2025-06-01", today) == []  # old article found late: normal
    assert date_flags(None, "2025-06-01", today) == []
