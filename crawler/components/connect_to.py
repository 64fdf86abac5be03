"""Download handler that connects some origins to other addresses (like curl's --connect-to):
RASAD_CONNECT_TO = "https://maseer.net=http://127.0.0.1:8702,…". A request for
https://maseer.net/archives/1 is downloaded from http://127.0.0.1:8702/archives/1 and its
response keeps the real URL, so everything else (robots.txt, allowed domains, canonical URLs,
the store) sees only the real addresses. `make demo` uses it to crawl the offline mirror as if
it were the outlets; a staging copy of a site can be crawled the same way. Without the setting
every request goes where its URL says. The request guard checks the real URL (the outlet's
origin); the connection guard admits the given addresses."""
from __future__ import annotations

import inspect
import sys
from types import FrameType
from typing import Any
from urllib.parse import urlsplit


def _frames(context: int = 1) -> list[tuple[FrameType]]:
    frames, frame = [], sys._getframe(1)  # noqa: SLF001
    while frame is not None:
        frames.append((frame,))
        frame = frame.f_back
    return frames


def _module_of(obj: object, _filename: str | None = None) -> object:
    return sys.modules.get(getattr(obj, "f_globals", {}).get("__name__", ""))


# Scrapy's TLS context factory modules call inspect.stack() three times at import (a deprecation
# shim naming the module that made a class), which reads the source of every frame of the stack,
# then inspect.getmodule(), which scans every loaded module: ~30 ms of every crawl's start. Only
# the frame and its module are used, so for this one import both are answered from the frames.
# Here, in the one rasad module that imports Scrapy's HTTP handler (the CLI imports this module
# before the runner: with the shim in the runner it never applied to `rasad crawl`).
_stack, _getmodule = inspect.stack, inspect.getmodule
inspect.stack, inspect.getmodule = _frames, _module_of  # type: ignore[assignment]
try:
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
finally:
    inspect.stack, inspect.getmodule = _stack, _getmodule
from scrapy.http import Request, Response  # noqa: E402

from crawler.guard import resolver  # noqa: E402


def parse_connect_to(value: str | dict[str, str] | None) -> dict[str, str]:
    """{"https://maseer.net": "http://127.0.0.1:8702"} from "origin=address,…" (or a dict);
    ValueError naming the bad entry."""
    if isinstance(value, dict):
        pairs = list(value.items())
    else:
        pairs = []
        for entry in (value or "").split(","):
            if not entry.strip():
                continue
            origin, sep, address = entry.partition("=")
            if not sep:
                raise ValueError(f"RASAD_CONNECT_TO: {entry.strip()!r} is not ORIGIN=ADDRESS")
            pairs.append((origin, address))
    mapping = {}
    for origin, address in pairs:
        origin, address = origin.strip().rstrip("/"), address.strip().rstrip("/")
        for url in (origin, address):
            if not url.startswith(("http://", "https://")) or url.count("/") != 2:
                raise ValueError(f"RASAD_CONNECT_TO: {url!r} is not scheme://host[:port]")
        mapping[origin.lower()] = address
    return mapping


class ConnectToDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.connect_to = parse_connect_to(crawler.settings.get("RASAD_CONNECT_TO"))
        # The operator said where these origins live: the connection guard (crawler/guard/)
        # lets the crawl reach those addresses even when private, as it does for an outlet
        # that itself lives on one. Metadata addresses stay refused.
        for address in self.connect_to.values():
            resolver.allow_private_host(urlsplit(address).hostname or "")

    def _address(self, url: str) -> tuple[str, str] | None:
        for origin, address in self.connect_to.items():
            if url.lower().startswith(origin) and url[len(origin):len(origin) + 1] in ("", "/",
                                                                                       "?"):
                return origin, address
        return None

    async def download_request(self, request: Request) -> Response:
        found = self._address(request.url) if self.connect_to else None
        if found is None:
            return await super().download_request(request)
        origin, address = found
        response = await super().download_request(
            request.replace(url=address + request.url[len(origin):]))
        location = response.headers.get(b"Location")
        if location and location.decode("latin-1").startswith(address):
            # A redirect the stand-in wrote with its own address points at the real origin.
            real = origin + location.decode("latin-1")[len(address):]
            response.headers[b"Location"] = real.encode("latin-1")
        return response.replace(url=request.url)
