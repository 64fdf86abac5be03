"""The headline without the " – Site name" decoration CMSes add to <title> and og:title."""
from __future__ import annotations

from urllib.parse import urlsplit

from crawler.extract.text import clean_line, line_key

SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " ~ ", " / ")


def _site_keys(site_names: list[str], url: str) -> set[str]:
    keys = {line_key(n) for n in site_names if n}
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if host:
        keys.add(line_key(host))
        keys.add(line_key(host.split(".")[0]))
    return {k for k in keys if k}


def strip_site_name(title: str, site_names: list[str], url: str) -> str:
    """Remove a leading or trailing segment that names the site ("Title - Site", "Site | Title").

    Only a segment matching the site's name (og:site_name, JSON-LD publisher, host) is removed:
    Arabic headlines contain " - " themselves, so a guess by length would cut real titles."""
    title = clean_line(title)
    keys = _site_keys(site_names, url)
    for _ in range(2):  # "Title - Section - Site" loses only the site part; two passes at most
        changed = False
        for sep in SEPARATORS:
            if sep not in title:
                continue
            head, tail = title.rsplit(sep, 1)
            if _names_site(tail, keys) and head.strip():
                title, changed = head.strip(), True
                break
            first, rest = title.split(sep, 1)
            if _names_site(first, keys) and rest.strip():
                title, changed = rest.strip(), True
                break
        if not changed:
            break
    return title


def _names_site(segment: str, keys: set[str]) -> bool:
    key = line_key(segment)
    if not key:
        return False
    return any(key == k or (len(k) > 3 and (k in key or key in k) and len(key) < 40) for k in keys)
