"""Visible dates in Arabic (and English) news pages → datetime.date.

Arabic outlets print months in several families, often two at once: Egyptian/Gulf transliterations
(يناير…), Levantine/Iraqi Syriac names (كانون الثاني…), Moroccan (يوليوز, غشت, شتنبر, نونبر,
دجنبر) and Algerian/Tunisian French-derived names (جانفي, فيفري, أفريل, جوان, جويلية, أوت),
joined as "حزيران/يونيو" or "أغسطس/ آب". Digits may be Arabic-Indic or Persian. A Hijri date is
converted only when no Gregorian date is present. The ordered page-level finder lives in
`finddate.py`; this module only reads strings.
"""
from __future__ import annotations

import datetime as dt
import re

from crawler.extract.hijri import hijri_to_gregorian
from storage.arabic import fold_letters, strip_diacritics, to_ascii_digits

# Date punctuation and the direction marks CMSes put between a day and its month; the letters,
# digits and diacritics are folded by the shared normaliser (storage/arabic.py).
_PUNCT = str.maketrans({"،": ",", "٫": ",", "\u200f": " ", "\u200e": " ", "\xa0": " "})

def _names(months: str) -> dict[str, int]:
    return {name: i for i, name in enumerate(months.split(), 1)}


# Folded spellings (see _fold) → month number. Several spellings per month are real variants.
_GREGORIAN = {
    # Egyptian / Gulf / general
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "ابرايل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "اغسطوس": 8, "سبتمبر": 9, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
    # Levantine / Iraqi (Syriac)
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5,
    "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الاول": 12, "كانون اول": 12,
    # Morocco
    "ماي": 5, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # Algeria / Tunisia (from French)
    "جانفي": 1, "فيفري": 2, "افريل": 4, "جوان": 6, "جويليه": 7, "جويلييه": 7, "اوت": 8,
    # English, for bilingual themes and English pages
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Languages of the region's other press and of the wider web a generic page may be in:
    # Turkish, Russian (genitive, as dates print it), French, German, Spanish, Italian,
    # Portuguese, Dutch. Names shared by several languages are given once.
    **_names("ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık"),
    **_names("января февраля марта апреля мая июня июля августа сентября октября ноября "
             "декабря"),
    **_names("janvier février mars avril mai juin juillet août septembre octobre novembre "
             "décembre"),
    **_names("januar februar märz april mai juni juli august september oktober november "
             "dezember"),
    **_names("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
             "diciembre"),
    **_names("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
             "novembre dicembre"),
    **_names("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
             "dezembro"),
    **_names("januari februari maart april mei juni juli augustus september oktober november "
             "december"),
    "jänner": 1, "setiembre": 9, "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7,
    "aout": 8, "déc": 12, "mär": 3, "mrz": 3, "okt": 10, "dez": 12, "ene": 1, "dic": 12,
}
_HIJRI = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع اول": 3, "ربيع الثاني": 4, "ربيع ثاني": 4,
    "ربيع الاخر": 4, "ربيع اخر": 4, "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي اولي": 5,
    "جمادي الاخره": 6, "جمادي الثانيه": 6, "جمادي الثاني": 6, "جمادي الاخر": 6, "رجب": 7,
    "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12,
    "ذي الحجه": 12,
}


def _alternation(names: dict[str, int]) -> str:
    # Longest first so "كانون الثاني" wins over a shorter prefix; spaces inside names are flexible.
    parts = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


# A month name must not be glued to other letters ("اب" inside "كتاب", "مارس" inside "يمارس").
_L = r"(?<![\w])"
_R = r"(?![\w])"
_GMONTH = rf"{_L}(?:{_alternation(_GREGORIAN)}){_R}"
# Second name of a double month: "/ يونيو", "(يونيو)", "- آب".
_GMONTHS = rf"(?P<m>{_GMONTH})(?:\s*[/\-–(،,]\s*(?P<m2>{_GMONTH})\s*\)?)?"
_DAY = r"(?P<d>[0-3]?\d)(?!\d)"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
# "10 تموز 2025", "19 حزيران/يونيو 2025", "10th July, 2025", "1er juillet"-style is not needed.
# German "9. September 2017", French "1er mars", Spanish/Portuguese "12 de marzo de 2020",
# abbreviations with a dot ("Okt. 2019").
_DMY = re.compile(
    rf"(?<!\d){_DAY}(?:st|nd|rd|th|er|\.)?\s*(?:من\s+|de\s+|of\s+)?{_GMONTHS}\.?\s*,?\s*"
    rf"(?:عام\s+|سنه\s+|de\s+|del\s+)?{_YEAR}", re.I)
# "يوليو 4, 2025" (WordPress "F j, Y" in Arabic), "October 27, 2023".
_MDY = re.compile(rf"{_GMONTHS}\.?\s*(?<!\d){_DAY}(?:st|nd|rd|th)?\s*,?\s*{_YEAR}", re.I)
# Chinese, Japanese and Korean: "2020年07月12日", "2023년 11월 7일".
_CJK = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]")
_ISO = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[-/.]\s*(?P<m>[01]?\d)\s*[-/.]\s*(?P<d>[0-3]?\d)(?!\d)")
# Day first, as Arabic pages write numeric dates; month first only when the day would be > 12.
_NUM = re.compile(
    r"(?<!\d)(?P<a>[0-3]?\d)\s*[-/.]\s*(?P<b>[01]?\d)\s*[-/.]\s*(?P<y>(?:19|20)\d\d)(?!\d)")
# "31.10.23", "31/10/23": a two-digit year, with the same separator twice (not "1.10.2").
_NUM2 = re.compile(
    r"(?<![\d.,/])(?P<a>[0-3]?\d)(?P<s>[./])(?P<b>[01]?\d)(?P=s)(?P<y>\d\d)(?!\d)(?![.,/]\d)")
_HDMY = re.compile(
    rf"(?<!\d)(?P<d>[0-3]?\d)\s*(?P<m>{_L}(?:{_alternation(_HIJRI)}){_R})\s*,?\s*"
    r"(?P<y>1[3-5]\d\d)(?!\d)\s*(?:ه\b|ه\.|هـ|ه\s)?"
)


def _fold(text: str) -> str:
    return fold_letters(strip_diacritics(to_ascii_digits(text.translate(_PUNCT))))


def _month(name: str | None, table: dict[str, int]) -> int | None:
    if not name:
        return None
    key = re.sub(r"\s+", " ", name.strip().lower())
    return table.get(key)


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _gregorian_matches(text: str) -> list[tuple[int, dt.date]]:
    found: list[tuple[int, dt.date]] = []
    for pattern in (_DMY, _MDY):
        for match in pattern.finditer(text):
            month = _month(match.group("m"), _GREGORIAN)
            second = _month(match.group("m2"), _GREGORIAN)
            # A double name whose halves disagree is not a month ("أيار" vs a stray word).
            if month is None or (second is not None and second != month):
                continue
            date = _make(int(match.group("y")), month, int(match.group("d")))
            if date:
                found.append((match.start(), date))
    for match in (*_CJK.finditer(text), *_ISO.finditer(text)):
        date = _make(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        if date:
            found.append((match.start(), date))
    for match in _NUM.finditer(text):
        a, b, y = int(match.group("a")), int(match.group("b")), int(match.group("y"))
        date = _make(y, b, a) or _make(y, a, b)
        if date:
            found.append((match.start(), date))
    century = dt.date.today().year // 100 * 100
    for match in _NUM2.finditer(text):
        a, b, y = int(match.group("a")), int(match.group("b")), int(match.group("y"))
        y += century if century + y <= dt.date.today().year + 1 else century - 100
        date = _make(y, b, a) or _make(y, a, b)
        if date:
            found.append((match.start(), date))
    return found


def parse_gregorian(text: str) -> dt.date | None:
    """The first Gregorian date in `text` (named or numeric months), or None."""
    if not text:
        return None
    found = _gregorian_matches(_fold(text))
    return min(found, key=lambda item: item[0])[1] if found else None


def parse_hijri(text: str) -> dt.date | None:
    """The first Hijri date ("09 رجب 1446هـ") in `text`, converted to Gregorian, or None."""
    if not text:
        return None
    for match in _HDMY.finditer(_fold(text)):
        month = _month(match.group("m"), _HIJRI)
        if month:
            date = hijri_to_gregorian(int(match.group("y")), month, int(match.group("d")))
            if date:
                return date
    return None


# Words that make the date after them a revision, not the publication ("Updated 3 May",
# "Aktualisiert am 19.02.2020", "آخر تحديث"), in the folded form `_fold` gives.
_UPDATE = re.compile(
    r"(?:updated?|modified|revised|edited|aktualisiert|geändert|mis à jour|modifié|actualizad[oa]|"
    r"actualización|aggiornat[oa]|atualizad[oa]|bijgewerkt|güncellen\w*|обновлен\w*|изменен\w*|"
    r"تحديث|تعديل|معدل|محدث)\W{0,3}(?:\w+\W{1,3}){0,2}$", re.I)


def dates_in(text: str) -> list[tuple[dt.date, str, bool]]:
    """Every date in `text` in reading order: (date, "gregorian" or "hijri", is_update), where
    an update date follows a word such as "Updated" or "تحديث"."""
    if not text:
        return []
    folded = _fold(text)
    found = [(start, date, "gregorian") for start, date in _gregorian_matches(folded)]
    for match in _HDMY.finditer(folded):
        month = _month(match.group("m"), _HIJRI)
        date = hijri_to_gregorian(int(match.group("y")), month, int(match.group("d"))) \
            if month else None
        if date:
            found.append((match.start(), date, "hijri"))
    found.sort(key=lambda item: item[0])
    return [(date, kind, bool(_UPDATE.search(folded[max(0, start - 40):start])))
            for start, date, kind in found]


def parse_date_text(text: str) -> tuple[dt.date, str] | None:
    """A visible date and its kind: ("gregorian" wins; "hijri" only when it is the only one)."""
    date = parse_gregorian(text)
    if date:
        return date, "gregorian"
    date = parse_hijri(text)
    if date:
        return date, "hijri"
    return None


def parse_arabic_date(text: str) -> dt.date | None:
    """Parse a visible date such as "الخميس ١٠ تموز ٢٠٢٥", "19 حزيران/يونيو 2025",
    "4 غشت 2024", "يوليو 4, 2025", "2022/08/20" or "09 رجب 1446هـ" (Hijri only when no
    Gregorian date is present)."""
    found = parse_date_text(text or "")
    return found[0] if found else None


_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_iso(value: str | None) -> dt.date | None:
    """The calendar date of an ISO 8601 timestamp as written (its own offset: the outlet's day)."""
    if not value:
        return None
    match = _ISO_PREFIX.match(to_ascii_digits(value))
    if match:
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return parse_gregorian(value)
