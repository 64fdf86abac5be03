"""A polite one-shot fetcher for probing a site: robots.txt obeyed, rasad's User-Agent, a delay
between requests, a request budget, bounded bodies, and only the site's own origins.

The probe runs outside Scrapy (it is a short interactive command, not a crawl), so politeness is
re-stated here with the crawl's own values: `crawler.settings.USER_AGENT`, the outlet delay.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from crawler import settings

MAX_BYTES = 10 * 1024 * 1024  # the crawl's DOWNLOAD_MAXSIZE
TIMEOUT = 30.0


class ProbeError(Exception):
    """The site cannot be probed at all (unreachable home page, bad URL). One clear line."""


@dataclass
class Fetched:
    url: str  # final URL after redirects
    status: int  # 0: no HTTP answer (network error, refused by robots, off-site redirect)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""  # why there is no answer
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def same_site(url: str, home: str) -> bool:
    """On the probed site: the home page's host (or one under its registered name, as www. and
    its bare name are the same site); with an explicit port, that exact host:port."""
    a, b = urlsplit(url), urlsplit(home)
    if a.scheme not in ("http", "https") or not a.hostname:
        return False
    if b.port is not None or a.port is not None:
        return a.netloc.lower() == b.netloc.lower()
    host, base = a.hostname.lower(), (b.hostname or "").lower().removeprefix("www.")
    return host == base or host.endswith("." + base)


class PoliteClient:
    """GETs on one site, spaced by `delay` seconds, obeying its robots.txt, at most `budget`."""

    def __init__(self, home: str, delay: float = 1.0, budget: int = 80,
                 user_agent: str | None = None) -> None:
        self.home = home
        self.delay = delay
        self.budget = budget
        self.user_agent = user_agent or settings.USER_AGENT
        self.requests = 0
        self.robots_status = 0
        self._robots: Protego | None = None
        self._last = 0.0
        self._cache: dict[str, Fetched] = {}
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Language": "ar,en;q=0.5"},
            timeout=TIMEOUT, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- robots ------------------------------------------------------------------------------
    def robots(self) -> Fetched:
        parts = urlsplit(self.home)
        url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        fetched = self._get(url, check_robots=False)
        self.robots_status = fetched.status
        text = fetched.body.decode("utf-8", "replace") if fetched.status == 200 else ""
        self._robots = Protego.parse(text)
        # The site's own Crawl-delay wins over a shorter one asked for.
        self.delay = max(self.delay, self.crawl_delay or 0.0)
        return fetched

    @property
    def crawl_delay(self) -> float | None:
        return self._robots.crawl_delay(self.user_agent) if self._robots else None

    def allowed(self, url: str) -> bool:
        if self._robots is None:
            self.robots()
        assert self._robots is not None
        return self._robots.can_fetch(url, self.user_agent)

    # --- fetching ----------------------------------------------------------------------------
    def get(self, url: str) -> Fetched:
        return self._get(url, check_robots=True)

    def _get(self, url: str, check_robots: bool) -> Fetched:
        url = url.split("#", 1)[0]
        if url in self._cache:
            return self._cache[url]
        result = self._follow(url, check_robots)
        self._cache[url] = result
        return result

    def _follow(self, url: str, check_robots: bool) -> Fetched:
        current = url
        for _ in range(6):  # the crawl's REDIRECT_MAX_TIMES + 1
            if not same_site(current, self.home):
                return Fetched(current, 0, error=f"off-site URL {current}")
            if check_robots and not self.allowed(current):
                return Fetched(current, 0, error="disallowed by robots.txt")
            if self.requests >= self.budget:
                return Fetched(current, 0, error=f"request budget ({self.budget}) spent")
            response = self._send(current)
            if isinstance(response, Fetched):
                return response
            status, headers, body, elapsed = response
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                current = urljoin(current, headers["location"])
                continue
            return Fetched(current, status, body, headers, elapsed=elapsed)
        return Fetched(current, 0, error="too many redirects")

    def _send(self, url: str) -> tuple[int, dict[str, str], bytes, float] | Fetched:
        """(status, lower-cased headers, body cut at MAX_BYTES, seconds), or a Fetched error."""
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.requests += 1
        started = time.monotonic()
        try:
            with self._client.stream("GET", url) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_BYTES:  # bounded read, as DOWNLOAD_MAXSIZE
                        break
                headers = {k.lower(): v for k, v in response.headers.items()}
                return (response.status_code, headers, b"".join(chunks)[:MAX_BYTES],
                        time.monotonic() - started)
        except httpx.HTTPError as exc:
            return Fetched(url, 0, error=f"{type(exc).__name__}: {exc}")
        finally:
            self._last = time.monotonic()
