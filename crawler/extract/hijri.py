"""Hijri (Islamic lunar) → Gregorian conversion for dates printed only in the Hijri calendar.

Uses the Umm al-Qura calendar (Saudi Arabia's official one, which Gulf outlets print) through
hijridate for 1343–1500 AH; outside that range, the tabular (arithmetic, "Kuwaiti") calendar:
30-year cycles with 11 leap years, epoch 16 July 622 (Julian). Sighting-based calendars can still
differ by a day; that is why a Hijri date is the last resort and is stored with the source
"hijri", so a reader knows the day may be off by one.
"""
from __future__ import annotations

import datetime as dt

from hijridate import Hijri

# Julian day number of 1 Muharram 1 AH (civil epoch, 16 July 622 Julian).
_EPOCH_JDN = 1948440
_LEAP_YEARS = {2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29}
# Gregorian ordinal of JDN 0 offset: date.fromordinal(1) is JDN 1721426.
_ORDINAL_OFFSET = 1721425


def _month_length(year: int, month: int) -> int:
    if month == 12 and ((year - 1) % 30 + 1) in _LEAP_YEARS:
        return 30
    return 30 if month % 2 == 1 else 29


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of a Hijri date, or None when the date does not exist."""
    if not (1 <= month <= 12 and 1 <= day <= 30 and 1 <= year <= 2000):
        return None
    if 1343 <= year <= 1500:
        try:
            return Hijri(year, month, day).to_gregorian()
        except (ValueError, OverflowError):
            return None  # e.g. day 30 of a 29-day Umm al-Qura month
    return _tabular(year, month, day)


def _tabular(year: int, month: int, day: int) -> dt.date | None:
    if day > _month_length(year, month):
        return None
    jdn = (
        day
        + (29 * (month - 1) + (month // 2))  # months alternate 30/29 days
        + (year - 1) * 354
        + (3 + 11 * year) // 30  # leap days before this year
        + _EPOCH_JDN
        - 1
    )
    try:
        return dt.date.fromordinal(jdn - _ORDINAL_OFFSET)
    except (ValueError, OverflowError):
        return None
