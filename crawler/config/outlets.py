"""Outlet configuration: TOML files validated at load, with errors naming file, outlet and key.

Two kinds of file share one loader:
- an outlets file (`config/outlets.toml`) with `[outlets.<id>]` tables;
- an overlay (`config/mirror.toml`) with `extends = "outlets.toml"` and an `[origins]` table that
  moves outlets to another scheme://host:port without copying their definitions.
`--origin ID=URL` on the command line is the same mechanism as the overlay's `[origins]`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawler.config.toml import format_validation_error, memoized, read_toml

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "outlets.toml"

# Listing pagination shapes seen on WordPress (plain and pretty permalinks) and Drupal-like CMSes.
DEFAULT_PAGINATION = [r"/page/\d+/?$", r"[?&]paged=\d+", r"[?&]page=\d+"]


class ConfigError(Exception):
    """A configuration file is unreadable or invalid. The message names file, outlet and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Politeness(_Strict):
    delay: float = Field(1.0, ge=0, description="seconds between requests to the outlet")
    concurrency: int = Field(2, ge=1, le=16, description="parallel requests to the outlet")


class ExtractRules(_Strict):
    """Outlet-specific extraction rules; everything optional (the theme module covers the rest)."""

    # None: the theme is recognised on each page (body classes, asset paths, generator meta);
    # else a name of crawler.config.themes.THEMES.
    theme: str | None = None
    # CSS selectors (drop_text: whole lines of text); README "Config reference" says what each does.
    body: list[str] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)
    drop_text: list[str] = Field(default_factory=list)
    date: list[str] = Field(default_factory=list)
    title: list[str] = Field(default_factory=list)
    caption: list[str] = Field(default_factory=list)
    section: list[str] = Field(default_factory=list)


    @field_validator("theme")
    @classmethod
    def _known_theme(cls, v: str | None) -> str | None:
        from crawler.config.themes import THEMES

        if v is not None and v not in THEMES:
            raise ValueError(f"unknown theme {v!r} (themes: {', '.join(THEMES)})")
        return v


class UrlRule(_Strict):
    """A rewrite that maps equivalent URL shapes onto one (e.g. an optional slug)."""

    pattern: str
    replace: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        _compile(value)
        return value


class Outlet(_Strict):
    id: str
    name: str
    home: str
    language: str = "ar"
    allowed_domains: list[str] = Field(default_factory=list)
    article_url: list[str] = Field(min_length=1)  # regexes searched in path + query
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    listings: list[str] = Field(default_factory=list)
    listing_url: list[str] = Field(default_factory=list)  # regexes of listing pages
    pagination: list[str] = Field(default_factory=lambda: list(DEFAULT_PAGINATION))
    max_listing_pages: int = Field(3, ge=1, le=1000)
    discover: bool = True
    interval: str = "6h"
    cron: str | None = None
    politeness: Politeness = Field(default_factory=Politeness)
    extract: ExtractRules = Field(default_factory=ExtractRules)
    url_rules: list[UrlRule] = Field(default_factory=list)

    @field_validator("home", "feeds", "sitemaps", "listings")
    @classmethod
    def _absolute(cls, value: str | list[str]) -> str | list[str]:
        for url in [value] if isinstance(value, str) else value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"not an absolute http(s) URL: {url!r}")
        return value

    @field_validator("article_url", "listing_url", "pagination")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _compile(pattern)
        return value

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: str) -> str:
        parse_interval(value)
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            from crawler.service.triggers import cron_trigger  # late: it imports this module

            try:
                cron_trigger(value)
            except ValueError as exc:
                raise ValueError(f"not a crontab line (min hour day month weekday): "
                                 f"{value!r}: {exc}") from None
        return value

    # --- derived views -------------------------------------------------------------------
    @property
    def origin(self) -> str:
        parts = urlsplit(self.home)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def domains(self) -> list[str]:
        return self.allowed_domains or [urlsplit(self.home).hostname or ""]

    def is_article_url(self, url: str) -> bool:
        return _matches(self.article_url, url)

    def is_listing_url(self, url: str) -> bool:
        return _matches(self.listing_url, url)

    def is_pagination_url(self, url: str) -> bool:
        return _matches(self.pagination, url)

    def is_allowed(self, url: str) -> bool:
        """On the outlet's site: a configured domain (or a subdomain); when the outlet was moved
        to an origin with a port, that exact host:port."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        if urlsplit(self.home).port is not None:
            return parts.netloc == urlsplit(self.home).netloc
        host = parts.hostname
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def moved_to(self, origin: str) -> Outlet:
        """The same outlet on another scheme://host:port: URLs move, patterns and rules stay."""
        target = urlsplit(origin)
        if target.scheme not in ("http", "https") or not target.netloc:
            raise ConfigError(f"origin for {self.id!r} is not an http(s) origin: {origin!r}")

        def move(url: str) -> str:
            p = urlsplit(url)
            return urlunsplit((target.scheme, target.netloc, p.path, p.query, p.fragment))

        data = self.model_dump()
        data.update(
            home=move(self.home),
            feeds=[move(u) for u in self.feeds],
            sitemaps=[move(u) for u in self.sitemaps],
            listings=[move(u) for u in self.listings],
            allowed_domains=[target.hostname or ""],
        )
        return Outlet.model_validate(data)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None


def _matches(patterns: Iterable[str], url: str) -> bool:
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    return any(re.search(p, target) for p in patterns)


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def parse_interval(text: str) -> float:
    """'90s', '15m', '6h', '1d' → seconds."""
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError(f"interval must look like 30m, 6h or 1d, got {text!r}")
    number, unit = float(match.group(1)), match.group(2)
    seconds = number * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    if seconds <= 0:
        raise ValueError("interval must be positive")
    return seconds


class Config(_Strict):
    path: str
    outlets: dict[str, Outlet]

    def select(self, ids: Iterable[str] = ()) -> list[Outlet]:
        wanted = list(ids)
        unknown = [i for i in wanted if i not in self.outlets]
        if unknown:
            raise ConfigError(
                f"{self.path}: unknown outlet {', '.join(unknown)} "
                f"(configured: {', '.join(self.outlets)})"
            )
        return [self.outlets[i] for i in wanted] if wanted else list(self.outlets.values())


_TOP_KEYS = {"outlets", "extends", "origins", "politeness"}


def load_config(
    path: str | Path | None = None, origins: Mapping[str, str] | None = None
) -> Config:
    """Load an outlets file or an overlay, then apply `origins` (id → scheme://host:port)."""
    path = Path(path) if path else DEFAULT_CONFIG
    moves = tuple(sorted((origins or {}).items()))
    return memoized(("outlets", str(path), moves), lambda: _load_config(path, origins))


def _load_config(path: Path, origins: Mapping[str, str] | None) -> Config:
    data = read_toml(path, ConfigError)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key {', '.join(sorted(unknown))!r}")
    moved: dict[str, str] = {}
    if "extends" in data:
        if not isinstance(data["extends"], str):
            raise ConfigError(f"{path}: key 'extends' must be a file name")
        if "outlets" in data:
            raise ConfigError(f"{path}: an overlay ('extends') cannot define [outlets]")
        base = load_config(path.parent / data["extends"])
        outlets = dict(base.outlets)
    else:
        raw = data.get("outlets")
        if not isinstance(raw, dict) or not raw:
            raise ConfigError(f"{path}: missing [outlets.<id>] tables")
        outlets = {}
        for outlet_id, table in raw.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", outlet_id):
                raise ConfigError(f"{path}: outlet id {outlet_id!r} must be lower-case [a-z0-9_]")
            if not isinstance(table, dict):
                raise ConfigError(f"{path}: outlet {outlet_id!r} must be a table")
            try:
                outlets[outlet_id] = Outlet.model_validate({**table, "id": outlet_id})
            except ValidationError as exc:
                where = f"outlet {outlet_id!r}"
                raise ConfigError(format_validation_error(path, where, exc)) from None
    raw_origins = data.get("origins", {})
    if not isinstance(raw_origins, dict):
        raise ConfigError(f"{path}: key 'origins' must be a table of id = \"http://host:port\"")
    moved.update(raw_origins)
    moved.update(origins or {})
    if "politeness" in data:
        if "extends" not in data:
            raise ConfigError(f"{path}: top-level 'politeness' belongs in an overlay; "
                              "set it per outlet in [outlets.<id>]")
        try:
            politeness = Politeness.model_validate(data["politeness"])
        except ValidationError as exc:
            raise ConfigError(format_validation_error(path, "[politeness]", exc).replace(
                "key '", "key 'politeness.")) from None
        outlets = {k: o.model_copy(update={"politeness": politeness}) for k, o in outlets.items()}
    for outlet_id, origin in moved.items():
        if outlet_id not in outlets:
            raise ConfigError(f"{path}: origins: unknown outlet {outlet_id!r}")
        if not isinstance(origin, str):
            raise ConfigError(f"{path}: origins: key {outlet_id!r} must be a URL string")
        outlets[outlet_id] = outlets[outlet_id].moved_to(origin)
    return Config(path=str(path), outlets=outlets)


def parse_origins(values: Iterable[str]) -> dict[str, str]:
    """['maseer=http://127.0.0.1:8702', …] → {'maseer': 'http://127.0.0.1:8702'}."""
    result = {}
    for value in values:
        outlet_id, sep, url = value.partition("=")
        if not sep or not outlet_id or not url:
            raise ConfigError(f"--origin wants ID=URL, got {value!r}")
        result[outlet_id.strip()] = url.strip().rstrip("/")
    return result
