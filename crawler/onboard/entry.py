"""The outlet entry a probe found, as a TOML table, and writing it into an outlets file.

The file is appended to, never rewritten: other entries, their order and their comments stay
byte for byte. The new text is validated by the config loader (the same pydantic models the
crawl uses) before the file is replaced atomically, so a bad entry never lands.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.config.outlets import DEFAULT_PAGINATION, ConfigError, Outlet, load_config
from crawler.onboard.probe import Finding

DEFAULT_DELAY = 1.5  # seconds between requests in the written entry (what the outlets use)
_HEADER = ("# Outlets rasad watches. Every key is documented in README.md (\"Config reference\").\n"
           "# Entries below were written by `rasad outlets add`.\n")


def outlet_id_for(home: str) -> str:
    """'https://www.maseer.net/' → 'maseer'; '' when the host says nothing (an IP address)."""
    host = (urlsplit(home).hostname or "").lower().removeprefix("www.")
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return ""
    labels = host.split(".")
    # The registered name: before "co.uk", "com.sa" (a short second level under a country
    # code), else before the top-level domain.
    short_sld = len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3
    name = labels[-3] if short_sld else labels[-2] if len(labels) >= 2 else labels[0]
    name = re.sub(r"[^a-z0-9_]", "_", name).strip("_")
    return name if re.fullmatch(r"[a-z][a-z0-9_]*", name or "") else ""


def entry_table(finding: Finding) -> dict[str, Any]:
    """The outlet's config keys in the order a reader expects them."""
    parts = urlsplit(finding.home)
    host = (parts.hostname or "").removeprefix("www.")
    table: dict[str, Any] = {
        "name": finding.name,
        "home": finding.home,
        "allowed_domains": [host],
        "article_url": finding.article_url,
    }
    if finding.sources.feeds:
        table["feeds"] = [s.url for s in finding.sources.feeds]
    if finding.sources.sitemaps:
        table["sitemaps"] = [s.url for s in finding.sources.sitemaps]
    if finding.listing_url:
        table["listing_url"] = finding.listing_url
    if finding.pagination:
        table["pagination"] = [*DEFAULT_PAGINATION, *finding.pagination]
    table["max_listing_pages"] = finding.max_listing_pages
    delay = max(DEFAULT_DELAY, finding.crawl_delay or 0.0)
    table["politeness"] = {"delay": delay, "concurrency": 2 if delay < 5 else 1}
    table["extract"] = {"theme": finding.theme}
    if finding.url_rules:
        table["url_rules"] = finding.url_rules
    return table


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # Literal strings keep regexes readable (no doubled backslashes) when they can.
        if "'" not in value and not re.search(r"[\x00-\x1f\x7f]", value):
            return f"'{value}'"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def to_toml(outlet_id: str, table: dict[str, Any], comments: list[str] = ()) -> str:
    lines = [f"# {c}" for c in comments]
    lines.append(f"[outlets.{outlet_id}]")
    lines += [f"{key} = {_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def comments_for(finding: Finding, url: str) -> list[str]:
    evidence = ", ".join(f"{n} {k}" for k, n in finding.evidence.items() if n)
    ok = finding.articles_ok
    return [f"Added by `rasad outlets add {url}` on {datetime.now(UTC):%Y-%m-%d}.",
            f"Article pattern from {evidence or 'home-page links'}; theme {finding.theme} "
            f"({finding.theme_evidence}); {ok}/{len(finding.samples)} samples ok."]


def validate(outlet_id: str, table: dict[str, Any]) -> Outlet:
    """The entry as the crawl will read it (ConfigError naming the key when it is invalid)."""
    text = to_toml(outlet_id, table)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "outlet.toml"
        path.write_text(text, encoding="utf-8")
        return load_config(path).outlets[outlet_id]


def write_entry(path: Path, outlet_id: str, text: str) -> None:
    """Append the entry's text to the outlets file (created when missing), refusing an overlay,
    an id already there, or a result the loader rejects. The file is replaced atomically."""
    old = check_writable(path, outlet_id)
    new = (old if old.endswith("\n") or not old else old + "\n") or _HEADER
    new += "\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new)
        load_config(tmp)  # the whole file as the crawl will read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(path: Path, outlet_id: str) -> str:
    """The file's current text, after refusing an overlay, a broken file or a taken id."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old.strip():
        current = load_config(path)  # a file that is already broken is reported as it is
        if "extends" in _top_keys(old):
            raise ConfigError(f"{path}: an overlay ('extends'); add the outlet to the outlets "
                              "file it extends")
        if outlet_id in current.outlets:
            raise ConfigError(f"{path}: outlet {outlet_id!r} exists already; choose another --id")
    return old


def _top_keys(text: str) -> set[str]:
    import tomllib

    try:
        return set(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return set()


def configured_home(path: Path, home: str) -> str | None:
    """The id of an outlet of the file that already has this home page (same host and path)."""
    if not path.exists():
        return None
    try:
        outlets = load_config(path).outlets
    except ConfigError:
        return None
    want = urlsplit(home)
    for outlet_id, outlet in outlets.items():
        have = urlsplit(outlet.home)
        if have.netloc == want.netloc and have.path.rstrip("/") == want.path.rstrip("/"):
            return outlet_id
    return None
