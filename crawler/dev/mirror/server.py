"""HTTP side of the mirror: one ThreadingHTTPServer per outlet (each outlet its own origin, so
robots.txt sits at each root), conditional requests, HEAD, and a request log for tests."""
from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .corpus import ALL_OUTLETS, OUTLETS, load_outlet
from .dates import parse_http_date
from .outlets import SITES
from .scale import synthetic
from .site import Response, Site

DEFAULT_PORTS = {"centcomcitadel": 8701, "maseer": 8702, "alqaed": 8703,  # config/mirror.toml
                 "rafid": 8704, "wahat": 8705}  # not configured: for `rasad outlets add`
SERVER_NAMES = {"centcomcitadel": "Apache", "maseer": "nginx", "alqaed": "LiteSpeed",
                "rafid": "cloudflare", "wahat": "openresty"}
LAYOUTS = ("normal", "broken", "redesign")


def build_site(outlet: str, origin: str, scale: int = 0, faults: bool = True,
               today: date | None = None) -> Site:
    corpus = load_outlet(outlet)
    articles = corpus + (synthetic(outlet, scale, corpus) if scale else [])
    return SITES[outlet](origin, articles, faults=faults, today=today)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    site: Site
    mirror: Mirror


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY keep-alive clients wait for
    # the delayed ACK (~40 ms per request), which would make the benchmark measure the kernel.
    disable_nagle_algorithm = True
    server: _Server

    def version_string(self) -> str:
        return SERVER_NAMES.get(self.server.site.outlet_id, "nginx")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the request log replaces stderr chatter

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def do_POST(self) -> None:  # noqa: N802
        self._send_simple(405, b"Method Not Allowed")

    def _send_simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        received = time.time()  # before the page is built: when the request arrived
        site = self.server.site
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form (proxy style) request
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            response = site.respond(target)
        except Exception:  # a mirror bug must look like a server error, not a dropped socket
            traceback.print_exc()
            response = Response(500, b"mirror error", {"Content-Type": "text/plain"})
        status, headers, body = response.status, dict(response.headers), response.body
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if status == 200 and _not_modified(headers, inm, ims):
            status, body = 304, b""
        self.server.mirror._log({
            "outlet": site.outlet_id, "method": self.command, "path": target, "status": status,
            "if_none_match": inm is not None, "if_modified_since": ims is not None,
            "time": time.time(), "received": received,
        })
        self.send_response(status)
        for key, value in headers.items():
            if status == 304 and key == "Content-Type":
                continue
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=0, must-revalidate")
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)


def _not_modified(headers: dict[str, str], inm: str | None, ims: str | None) -> bool:
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or headers.get("ETag") in tags
    if ims is not None:
        since = parse_http_date(ims)
        modified = parse_http_date(headers.get("Last-Modified", ""))
        return bool(since and modified and modified <= since)
    return False


class Mirror:
    """The outlets on loopback (the three configured ones unless `outlets` names others, e.g.
    ALL_OUTLETS). Use as a context manager or call start()/stop()."""

    def __init__(self, ports: dict[str, int] | None = None, host: str = "127.0.0.1",
                 scale: int = 0, faults: bool = True, today: date | None = None,
                 outlets: tuple[str, ...] = OUTLETS,
                 public_origins: dict[str, str] | None = None) -> None:
        """`public_origins` (outlet → "https://maseer.net"): the sites write their links,
        feeds and sitemaps with the outlets' real origins while listening on loopback, so a
        crawl that connects the real origins to `addresses` (RASAD_CONNECT_TO) stores the
        articles' real URLs."""
        self.host = host
        self.public_origins = {o: u.rstrip("/") for o, u in (public_origins or {}).items()}
        self.addresses: dict[str, str] = {}  # outlet → the loopback origin it listens on
        self.ports = {o: (ports or {}).get(o) or 0 for o in outlets}
        self.scale = scale
        self.faults = faults
        self.today = today
        self.sites: dict[str, Site] = {}
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._log_lock = threading.Lock()
        # Bounded: `serve_forever` under a benchmark must not grow without limit.
        self._requests: deque[dict[str, Any]] = deque(maxlen=200_000)

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Mirror:
        if self._servers:
            return self
        try:
            for outlet in self.ports:
                server = _Server((self.host, self.ports[outlet]), _Handler)
                self._servers[outlet] = server
                address = f"http://{self.host}:{server.server_port}"
                self.addresses[outlet] = address
                origin = self.public_origins.get(outlet, address)
                server.site = build_site(outlet, origin, self.scale, self.faults, self.today)
                server.mirror = self
                self.sites[outlet] = server.site
        except BaseException:
            self.stop()
            raise
        for outlet, server in self._servers.items():
            thread = threading.Thread(target=server.serve_forever, name=f"mirror-{outlet}",
                                      kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            if self._threads:
                server.shutdown()
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origins(self) -> dict[str, str]:
        """Outlet → the origin its pages name (the loopback address unless public_origins)."""
        return {o: s.origin for o, s in self.sites.items()}

    @property
    def connect_to(self) -> str:
        """RASAD_CONNECT_TO for a crawl of the public origins: "origin=address,…"."""
        return ",".join(f"{self.origins[o]}={a}" for o, a in self.addresses.items()
                        if self.origins[o] != a)

    # --- request log ---------------------------------------------------------------------------
    def _log(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._requests.append(entry)

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._log_lock:
            return list(self._requests)

    def reset_log(self) -> None:
        with self._log_lock:
            self._requests.clear()

    # --- ground truth and changes ----------------------------------------------------------------
    def _site_of(self, url: str) -> Site:
        parts = urlsplit(url)
        for site in self.sites.values():
            if site.origin == f"{parts.scheme}://{parts.netloc}":
                return site
        raise KeyError(f"no mirrored outlet serves {url}")

    def expected_articles(self, outlet_id: str) -> list[str]:
        """Canonical URLs of every real article page of the outlet (faults excluded)."""
        site = self.sites[outlet_id]
        return [site.url(a) for a in reversed(site.articles)]

    def truth(self, url: str) -> dict[str, Any]:
        site = self._site_of(url)
        article = site.find(url)
        if article is None:
            raise KeyError(f"not an article: {url}")
        return article.truth(site.url(article))

    def articles(self, outlet_id: str) -> list[Any]:
        return list(self.sites[outlet_id].articles)

    def publish(self, outlet_id: str, article: dict[str, Any]) -> str:
        """Add an article now (dated now unless `article` has date/time); returns its URL."""
        site = self.sites[outlet_id]
        return site.url(site.publish(article))

    def update(self, url: str, new_body_paragraphs: list[str]) -> None:
        site = self._site_of(url)
        article = site.find(url)
        if article is None:
            raise KeyError(f"not an article: {url}")
        site.update(article, new_body_paragraphs)

    def set_layout(self, outlet_id: str, layout: str) -> None:
        """"broken": the article body container is renamed and emptied (a redesign that moved
        the text out of the HTML); "redesign": the alternate skin of themes/redesign.py (other
        class names and widgets around the same content wrapper)."""
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}")
        site = self.sites[outlet_id]
        site.layout = layout
        site.bump()


def serve_forever(port_base: int = 8701, scale: int = 0, host: str = "127.0.0.1",
                  faults: bool = True, layout: str = "normal") -> None:
    """Serve the mirror until interrupted (`rasad mirror`, `python -m crawler.dev.mirror`);
    `layout` "redesign" serves the configured outlets in their alternate skin."""
    ports = {o: port_base + i for i, o in enumerate(ALL_OUTLETS)}
    with Mirror(ports, host=host, scale=scale, faults=faults, outlets=ALL_OUTLETS) as mirror:
        for outlet in OUTLETS:  # the outlets with an alternate skin (themes/redesign.py)
            mirror.set_layout(outlet, layout)
        for outlet, origin in mirror.origins.items():
            count = len(mirror.expected_articles(outlet))
            print(f"{outlet:16} {origin}  ({count} articles)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
