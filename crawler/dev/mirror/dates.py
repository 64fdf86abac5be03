"""Date renderings the outlets (and Arabic sites in general) use, so date extraction meets them.

WordPress in the `ar` locale prints "فبراير 28, 2025" (format "F j, Y"); Levantine papers write
"تموز/يوليو"; Maghreb sites "يوليوز", "جويلية", "غشت"; some print Arabic-Indic digits or only a
Hijri date. Everything here is deterministic: the same input renders the same bytes.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime

from hijridate import Gregorian

# WordPress `ar` locale month names (also Egypt and the Gulf).
MONTHS_WP = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
             "أكتوبر", "نوفمبر", "ديسمبر"]
# Syriac-derived names used in the Levant and Iraq.
MONTHS_LEVANT = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                 "تشرين الأول", "تشرين الثاني", "كانون الأول"]
# Morocco.
MONTHS_MOROCCO = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر",
                  "أكتوبر", "نونبر", "دجنبر"]
# Algeria and Tunisia (French-derived).
MONTHS_ALGERIA = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر",
                  "أكتوبر", "نوفمبر", "ديسمبر"]
# Python weekday(): Monday is 0.
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
HIJRI_MONTHS = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب",
                "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]

_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def indic(text: str) -> str:
    """Western digits → Arabic-Indic digits (٠١٢…)."""
    return text.translate(_INDIC)


def wp_date(d: date) -> str:
    """JNews/tagDiv visible date in the WordPress `ar` locale: "فبراير 28, 2025"."""
    return f"{MONTHS_WP[d.month - 1]} {d.day}, {d.year}"


def wp_header_clock(d: date) -> str:
    """The theme's header clock ("l, F j, Y"): "الأحد, يوليو 27, 2025"."""
    return f"{WEEKDAYS[d.weekday()]}, {wp_date(d)}"


def slash_date(d: date) -> str:
    """JNews with the "Y/m/d" date format, as on maseer.net: "2022/08/20"."""
    return d.strftime("%Y/%m/%d")


def levant_double(d: date, digits: str = "western") -> str:
    """"10 تموز/يوليو 2025" (or with Arabic-Indic digits)."""
    text = f"{d.day} {MONTHS_LEVANT[d.month - 1]}/{MONTHS_WP[d.month - 1]} {d.year}"
    return indic(text) if digits == "indic" else text


def egypt_double(d: date) -> str:
    """"26 أغسطس/ آب 2024": Egyptian name first, Levantine second, stray space included."""
    return f"{d.day} {MONTHS_WP[d.month - 1]}/ {MONTHS_LEVANT[d.month - 1]} {d.year}"


def morocco(d: date) -> str:
    """"3 يوليوز 2024"."""
    return f"{d.day} {MONTHS_MOROCCO[d.month - 1]} {d.year}"


def algeria(d: date) -> str:
    """"الاثنين 15 جويلية 2024"."""
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS_ALGERIA[d.month - 1]} {d.year}"


# --- Hijri -----------------------------------------------------------------------------------
# Corpus articles that print only a Hijri date name it explicitly and keep the verified Gregorian
# date as truth; the date-style sweep renders any date in Umm al-Qura.
def gregorian_to_hijri(d: date) -> tuple[int, int, int]:
    """Umm al-Qura, the calendar Gulf outlets print (hijridate covers 1343–1500 AH)."""
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    return h.year, h.month, h.day


def hijri_text(d: date) -> str:
    """"09 رجب 1446هـ"."""
    y, m, day = gregorian_to_hijri(d)
    return f"{day:02d} {HIJRI_MONTHS[m - 1]} {y}هـ"


# --- HTTP ------------------------------------------------------------------------------------
def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


VISIBLE_STYLES = {
    "wp": wp_date,
    "slash": slash_date,
    "iso": lambda d: d.isoformat(),
    "levant": levant_double,
    "levant-indic": lambda d: levant_double(d, "indic"),
    "egypt": egypt_double,
    "morocco": morocco,
    "algeria": algeria,
    "hijri": hijri_text,
}


def visible(d: date, style: str) -> str:
    """Render `d` in a named style (see VISIBLE_STYLES)."""
    try:
        return VISIBLE_STYLES[style](d)
    except KeyError:
        raise ValueError(f"unknown date style {style!r}") from None
