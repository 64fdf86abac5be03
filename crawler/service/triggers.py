"""An outlet's crawl schedule (`interval` or `cron` in the config) as APScheduler triggers."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from crawler.config.outlets import Outlet, parse_interval

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def cron_trigger(cron: str, jitter: float | None = None) -> CronTrigger:
    """A crontab line (minute hour day month weekday, UTC) as a trigger. Weekday numbers keep
    their crontab meaning (0 or 7 = Sunday): APScheduler 3 counts them from Monday, so they are
    turned into names first ("1-5" → "mon-fri")."""
    # Imported here: each crawl's health check asks an outlet's period, and most outlets have
    # an `interval`, not a cron line (apscheduler and tzlocal: ~15 ms of every crawl).
    from apscheduler.triggers.cron import CronTrigger

    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"wants 5 fields, got {len(fields)}")
    minute, hour, day, month, weekday = fields
    weekday = re.sub(r"(?<![/\d])\d+", lambda m: _DAYS[int(m.group()) % 7], weekday)
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday,
                       timezone=UTC, jitter=jitter or None)


def period_seconds(outlet: Outlet) -> float:
    """The time between two scheduled crawls (cron: between its next two fire times)."""
    if outlet.cron:
        trigger = cron_trigger(outlet.cron)
        first = trigger.get_next_fire_time(None, datetime.now(UTC))
        second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
        if first and second:
            return (second - first).total_seconds()
    return parse_interval(outlet.interval)
