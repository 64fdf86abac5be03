"""Publication timestamps a page states in markup: meta tags, JSON-LD, `<time>` elements.

A timestamp gives the day in its own offset (the outlet's day). When the first one is in UTC
and another field states the same instant in a local offset (WordPress writes
`article:published_time` in UTC and JSON-LD in the site's zone; a news CMS writes JSON-LD in UTC
and a `date` meta in local time), the local day is the outlet's: an evening post in UTC is on
the previous day, a morning one in UTC+2 on the next.
"""
from __future__ import annotations

import datetime as dt
import email.utils
from typing import NamedTuple

from lxml import etree

from crawler.extract.dates import parse_iso
from crawler.extract.meta import PageMeta

# Publication fields (Open Graph, schema.org microdata, Dublin Core "issued", analytics tags),
# read before JSON-LD; the generic "date" fields (LATE_KEYS) may be a revision's or the day the
# page was generated: they lose to a date shown under the headline.
META_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
             "article.published", "publishdate", "pubdate", "dc.date.issued", "dcterms.issued",
             "parsely-pub-date", "sailthru.date")
LATE_KEYS = ("dcterms.created", "dcterms:created", "dc.date.created", "dc.created",
              "citation_publication_date", "dc.date", "dcterms.date", "date")
_SAME_INSTANT = dt.timedelta(minutes=10)
_REVISION = ("updat", "modif", "edit")


class Stamp(NamedTuple):
    date: dt.date  # the calendar day as written (its own offset)
    moment: dt.datetime | None  # the instant, when the value has a time and an offset
    source: str  # "meta" or "jsonld"
    key: str = ""  # the meta key


def plausible(date: dt.date | None) -> bool:
    return date is not None and 1990 <= date.year <= dt.date.today().year + 1


def _moment(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)  # "Sat, 19 Oct 2019 00:04 +0200"
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo is not None else None


def _stamp(value: object, source: str, key: str = "") -> Stamp | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    date = parse_iso(value)
    return Stamp(date, _moment(value), source, key) if date and plausible(date) else None


def stamps(meta: PageMeta, late: bool = True) -> list[Stamp]:
    """The publication timestamps of the page's metadata, most trusted first; `late` adds the
    generic "date" fields."""
    found = [_stamp(meta.og.get(key), "meta", key) for key in META_KEYS]
    found += [_stamp(obj.get("datePublished"), "jsonld") for obj in meta.ld_articles()]
    if late:
        found += [_stamp(meta.og.get(key), "meta", key) for key in LATE_KEYS]
    return [s for s in found if s is not None]


def published(meta: PageMeta) -> tuple[dt.date, str] | None:
    """The publication day from the publication fields of the metadata and where it came
    from, or None. The generic "date" fields only correct a UTC stamp's day (see above): on
    their own they lose to a date shown under the headline (`late_date`)."""
    found = stamps(meta)
    first = next((s for s in found if s.source == "jsonld" or s.key in META_KEYS), None)
    if first is None:
        return None
    if first.moment is not None and first.moment.utcoffset() == dt.timedelta(0):
        for other in found:
            if other.moment is not None and other.moment.utcoffset() \
                    and abs(other.moment - first.moment) <= _SAME_INSTANT:
                return other.date, first.source
    return first.date, first.source


def late_date(meta: PageMeta) -> dt.date | None:
    """The first generic "date" field of the metadata (Dublin Core, `date`), or None."""
    found = [s for s in stamps(meta) if s.key in LATE_KEYS]
    return found[0].date if found else None


def machine_date(el: etree._Element) -> str:
    """The publication timestamp a `<time datetime>` (or a microdata `datePublished`) element
    states, or "" (other elements, and an update's or modification's time)."""
    if el.tag == "time":
        value = el.get("datetime")
    elif el.get("itemprop") in ("datePublished", "dateCreated"):
        value = el.get("datetime") or el.get("content")
    else:
        return ""
    label = " ".join((el.get("class") or "", el.get("itemprop") or "")).lower()
    if not value or any(word in label for word in _REVISION):
        return ""
    return value.strip()[:40]
