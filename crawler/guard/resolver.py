"""The crawl's DNS resolver: Scrapy's caching resolver, with every address a request could
connect to checked at the moment of connecting (TWISTED_DNS_RESOLVER).

The request guard resolves a host and checks the answer before a request goes out; DNS may
answer differently a moment later (DNS rebinding: first a public address, then 127.0.0.1 or the
metadata service). Here the answer the connection will actually use is checked: addresses that
are not public are dropped unless the host is one a crawled outlet itself lives on."""
from __future__ import annotations

import threading
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer

from crawler.guard.addresses import address_class

_lock = threading.Lock()
# Hosts (lower-case) whose private addresses may be used: the outlets' own private origins,
# registered by the request guard of each crawl in this process.
_PRIVATE_OK: set[str] = set()
# host → (address, class) of the latest address dropped, for the guard's count and log line.
REFUSED: dict[str, tuple[str, str]] = {}


def allow_private_host(host: str) -> None:
    with _lock:
        _PRIVATE_OK.add(host.lower())


def allowed(host: str, address: str) -> str | None:
    """None when `host` may be reached at `address`, else the address's class."""
    kind = address_class(address)
    if kind == "public" or (kind != "metadata" and host.lower() in _PRIVATE_OK):
        return None
    return kind


@implementer(IResolutionReceiver)
class _Filter:
    def __init__(self, receiver: Any, host: str) -> None:
        self.receiver = receiver
        self.host = host

    def resolutionBegan(self, resolution: Any) -> None:  # noqa: N802 - Twisted interface
        with _lock:
            REFUSED.pop(self.host.lower(), None)  # a new answer: the last refusal is history
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: Any) -> None:  # noqa: N802
        kind = allowed(self.host, address.host)
        if kind is None:
            self.receiver.addressResolved(address)
        else:
            with _lock:
                REFUSED[self.host.lower()] = (address.host, kind)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class GuardedResolver:
    def __init__(self, reactor: Any, cache_size: int, timeout: float) -> None:
        self.reactor = reactor
        self.inner = CachingThreadedResolver(reactor, cache_size, timeout)
        self.wrapped: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        cache = crawler.settings.getint("DNSCACHE_SIZE") \
            if crawler.settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache, crawler.settings.getfloat("DNS_TIMEOUT"))

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self.inner)  # the reactor wraps it as a name resolver…
        self.wrapped = self.reactor.nameResolver
        self.reactor.installNameResolver(self)  # …which every connection now asks through us

    def resolveHostName(self, resolutionReceiver: Any, hostName: str,  # noqa: N802,N803
                        portNumber: int = 0, addressTypes: Any = None,  # noqa: N803
                        transportSemantics: str = "TCP") -> Any:  # noqa: N803
        return self.wrapped.resolveHostName(_Filter(resolutionReceiver, hostName), hostName,
                                            portNumber, addressTypes, transportSemantics)
