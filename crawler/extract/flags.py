"""Flags on a publication date that a reader should not take at face value."""
from __future__ import annotations

import datetime as dt

# A date may run a day ahead of UTC "today": the outlets are at UTC+3..+5.
FUTURE_SLACK = dt.timedelta(days=1)
# Publication and first sight may straddle midnight and time zones; beyond that it is suspect.
FIRST_SEEN_SLACK = dt.timedelta(days=2)


def date_flags(published: str | None, first_seen: str | None,
               today: dt.date | None = None) -> list[str]:
    """Why a date may not be trustworthy.

    - "future": after tomorrow (UTC). No outlet publishes ahead; a future date is a typo, an
      event date picked up from the text, or a scheduled post leaking.
    - "long_after_first_seen": more than two days after we first saw the URL. A page cannot be
      published after it was fetched, so the date is an update stamp or an event date.
    An old date on a newly seen URL is normal (archives, sitemaps) and is not flagged."""
    if not published:
        return []
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return []
    flags = []
    if day > (today or dt.datetime.now(dt.UTC).date()) + FUTURE_SLACK:
        flags.append("future")
    if first_seen:
        try:
            seen = dt.date.fromisoformat(first_seen[:10])
        except ValueError:
            seen = None
        if seen and day > seen + FIRST_SEEN_SLACK:
            flags.append("long_after_first_seen")
    return flags
