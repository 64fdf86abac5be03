"""Where one outlet's crawl may go: its own origins (scheme, host and port) and, on the default
port of http or https, the domains it declares (subdomains included). A private or loopback
address only when the outlet itself lives there (the offline mirror, tests)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from crawler.guard.addresses import PRIVATE, address_class, host_class, parse_ip

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


class OutletPolicy:
    def __init__(self, entry_points: Iterable[str], domains: Iterable[str]) -> None:
        self.origins = {o for o in map(origin_of, entry_points) if o}
        self.hosts = {host for _, host, _ in self.origins}
        # A declared domain written as an IP address (an outlet moved to a mirror) is an origin,
        # not a domain: every port of it is not the outlet's.
        self.domains = {d.lower().strip(".") for d in domains
                        if d and parse_ip(d) is None and host_class(d) is None}
        # Hosts that are themselves private (127.0.0.1, localhost): the outlet lives there, so
        # their own origins may be reached on those addresses.
        self.private_hosts = {h for h in self.hosts if host_class(h) in PRIVATE}

    @classmethod
    def for_outlet(cls, outlet: object) -> OutletPolicy:
        o: Any = outlet
        return cls([o.home, *o.feeds, *o.sitemaps, *o.listings], o.domains)

    def check_url(self, url: str) -> str | None:
        """The reason `url` is not the outlet's (`scheme`, `port`, `offsite`, or the class of
        an address written in it: `loopback`, `private`, `metadata`, …), or None."""
        origin = origin_of(url)
        if origin is None:
            return "scheme"
        scheme, host, port = origin
        if origin in self.origins:
            return None
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return None if port == DEFAULT_PORTS[scheme] else "port"
        if host in self.hosts:
            return "port"
        kind = host_class(host)
        if kind not in (None, "public"):  # 169.254.169.254, 10.0.0.1, localhost: say so
            return kind
        return "offsite"

    def check_address(self, url: str, address: str) -> str | None:
        """The class of `address` when `url` may not be fetched from it, or None."""
        kind = address_class(address)
        if kind == "public":
            return None
        origin = origin_of(url)
        if kind != "metadata" and origin in self.origins and origin[1] in self.private_hosts:
            return None
        return kind
