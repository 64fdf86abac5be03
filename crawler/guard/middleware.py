"""The request guard (downloader middleware, in place of Scrapy's OffsiteMiddleware): every
request, and so every redirect hop (the redirect middleware sends each hop back through the
downloader), goes only to the outlet's own origins or declared domains, and only to a public
address unless the outlet itself lives at that private one.

The host is resolved and its address checked before the request goes out; the resolver
(crawler/guard/resolver.py) checks again the address the connection really uses. A refused
request is counted (`rasad/requests_refused/<reason>`) and logged with its reason, never
fetched, and not counted as an outlet error."""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import DNSLookupError

from crawler.guard import resolver
from crawler.guard.addresses import parse_ip
from crawler.guard.policy import OutletPolicy

logger = logging.getLogger(__name__)


class RequestRefused(IgnoreRequest):
    """A request the guard did not let out; `reason` says why."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"refused ({reason}): {url}")
        self.reason = reason


class RequestGuard:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.policy: OutletPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RequestGuard:
        guard = cls(crawler)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        return guard

    def spider_opened(self, spider: Any) -> None:
        outlet = getattr(spider, "outlet", None)
        if outlet is not None:
            self.policy = OutletPolicy.for_outlet(outlet)
        else:  # a plain Scrapy spider: its start URLs are its origins
            self.policy = OutletPolicy(getattr(spider, "start_urls", []),
                                       getattr(spider, "allowed_domains", []) or [])
        for host in self.policy.private_hosts:
            resolver.allow_private_host(host)

    def _refuse(self, reason: str, request: Any, detail: str = "") -> RequestRefused:
        self.crawler.stats.inc_value(f"rasad/requests_refused/{reason}")
        hop = " (redirect)" if request.meta.get("redirect_urls") else ""
        logger.warning("refused request%s (%s%s): %s", hop, reason,
                       f": {detail}" if detail else "", request.url)
        return RequestRefused(reason, request.url)

    async def process_request(self, request: Any) -> None:
        if self.policy is None:
            self.spider_opened(self.crawler.spider)
        assert self.policy is not None
        reason = self.policy.check_url(request.url)
        if reason:
            raise self._refuse(reason, request)
        host = urlsplit(request.url).hostname or ""
        if parse_ip(host) is not None:
            address = host
        else:
            address = await self._resolve(host)
            if address is None:
                refused = resolver.REFUSED.get(host.lower())
                if refused:
                    raise self._refuse(refused[1], request, f"{host} resolves to {refused[0]}")
                return None  # not resolvable: the download fails and counts as an error
        kind = self.policy.check_address(request.url, address)
        if kind:
            raise self._refuse(kind, request, f"{host} is {address}" if address != host else "")
        return None

    async def _resolve(self, host: str) -> str | None:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor

        try:
            return str(await maybe_deferred_to_future(reactor.resolve(host)))  # type: ignore[attr-defined]
        except DNSLookupError:
            return None

    def process_exception(self, request: Any, exception: Exception) -> None:
        # The connection's own lookup dropped a forbidden address (the answer changed since
        # process_request): the request failed as a DNS error; say why, once retries are over.
        if isinstance(exception, DNSLookupError):
            host = (urlsplit(request.url).hostname or "").lower()
            refused = resolver.REFUSED.get(host)
            if refused:
                raise self._refuse(refused[1], request, f"{host} resolved to {refused[0]}")
        return None
