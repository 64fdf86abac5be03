"""One page fetched the way the crawler would fetch it, outside Scrapy (`rasad extract URL`):
the project's User-Agent, robots.txt obeyed at every origin on the way (RFC 9309: a missing
robots.txt allows, an unreachable one or a 5xx forbids), redirects followed by hand (at most 5,
http/https only), bounded time and size, and every connection checked where it really goes
(crawler/guard/addresses.py): never link-local or metadata addresses, and loopback or private
ones only when the URL given names one itself (a public page cannot redirect into the local
network)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from crawler.alerts.channels.targets import guarded_client
from crawler.guard.addresses import PRIVATE, TargetRefused, host_class

MAX_REDIRECTS = 5


class FetchError(Exception):
    """The page cannot (or may not) be fetched; the message is one line for the user."""


@dataclass
class Page:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _check_scheme(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise FetchError(f"{url}: only http:// and https:// URLs can be fetched")


def _read(client: httpx.Client, url: str, max_bytes: int) -> tuple[httpx.Response, bytes]:
    """The response (headers) and its body, read no further than `max_bytes`."""
    try:
        with client.stream("GET", url) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: larger than {max_bytes} bytes, not read")
                chunks.append(chunk)
            return response, b"".join(chunks)
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    except TargetRefused as exc:
        raise FetchError(f"{url}: refused: {exc}") from None


class RobotsCache:
    def __init__(self, client: httpx.Client, user_agent: str, max_bytes: int) -> None:
        self.client, self.user_agent, self.max_bytes = client, user_agent, max_bytes
        self.parsed: dict[str, Protego | None] = {}  # None: everything allowed

    def check(self, url: str) -> None:
        origin = _origin(url)
        if origin not in self.parsed:
            robots_url = origin + "/robots.txt"
            try:
                response, body = _read(self.client, robots_url, self.max_bytes)
            except FetchError as exc:
                raise FetchError(f"{exc} (robots.txt unreachable: not fetching {url})") from None
            if response.status_code >= 500:
                raise FetchError(f"{robots_url}: HTTP {response.status_code}: robots.txt "
                                 f"unavailable, so {origin} may not be crawled now")
            ok = response.status_code < 300
            text = body.decode("utf-8", "replace")
            self.parsed[origin] = Protego.parse(text) if ok else None
        rules = self.parsed[origin]
        if rules is not None and not rules.can_fetch(url, self.user_agent):
            raise FetchError(f"{url}: disallowed by {origin}/robots.txt for "
                             f"User-Agent {self.user_agent!r}")


def fetch_page(url: str, user_agent: str, timeout: float = 30.0,
               max_bytes: int = 10 * 1024 * 1024) -> Page:
    _check_scheme(url)
    headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml"}
    allow_private = host_class(urlsplit(url).hostname or "") in PRIVATE
    with guarded_client(allow_private, headers=headers, timeout=timeout,
                        follow_redirects=False) as client:
        robots = RobotsCache(client, user_agent, max_bytes)
        for _ in range(MAX_REDIRECTS + 1):
            robots.check(url)
            response, body = _read(client, url, max_bytes)
            location = response.headers.get("location")
            if response.is_redirect and location:
                url = urljoin(url, location)
                _check_scheme(url)
                continue
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            return Page(str(response.url), response.status_code, dict(response.headers), body)
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
