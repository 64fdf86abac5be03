"""A hostile outlet: one origin on loopback whose feed lists named fault endpoints, like Scrapy's
own test mockserver. The fault suite (tests/test_faults.py) crawls it once and checks, fault by
fault, what a user would check: stored once or not at all, counted, the crawl finished, memory
bounded, nothing else contacted.

Each article URL is /a/<fault>; the fault kinds of the offline mirror (faults.py: empty, binary,
truncated, missing, error) are served from the same code. A second server (`bystander`) stands
for "another port of the same host": it records every request, and must get none."""
from __future__ import annotations

import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .corpus import load_outlet
from .faults import PNG

BOMB_BYTES = 256 * 1024 * 1024  # what the gzip bomb inflates to (25x DOWNLOAD_MAXSIZE)
HUGE_BYTES = 24 * 1024 * 1024  # a page over DOWNLOAD_MAXSIZE (10 MiB)
HANG_SECONDS = 60.0  # longer than the suite's download timeout
NESTING = 5000

# fault → what the crawl must do with it ("stored": once; "not stored": never).
FAULTS: dict[str, str] = {
    "good": "stored",
    "status-503-503-200": "stored",  # two 503s, then the page: retried, stored once
    "status-500": "not stored",  # always 500 (Retry-After): queued for a later crawl
    "status-404": "not stored",
    "status-429-200": "stored",
    "hang": "not stored",  # headers never come
    "drip": "not stored",  # one byte a second, never ending
    "partial": "not stored",  # Content-Length promises more than arrives
    "gzip-bomb": "not stored",
    "redirect-chain": "not stored",  # more hops than REDIRECT_MAX_TIMES
    "redirect-loop": "not stored",
    "redirect-ok": "stored",  # one hop to a good page on the same origin
    "redirect-port": "not stored",  # to the bystander: same host, another port
    "redirect-private": "not stored",  # to a private network address
    "redirect-metadata": "not stored",  # to the cloud metadata service
    "redirect-offsite": "not stored",  # to another site
    "redirect-name": "not stored",  # to a declared domain whose name resolves to this machine
    "redirect-scheme": "not stored",  # to file:///etc/passwd
    "binary": "not stored",
    "empty": "not stored",
    "truncated": "not stored",
    "invalid-bytes": "stored",  # invalid UTF-8 inside a good article: replaced, stored
    "deep-nesting": "either",  # 5,000 nested elements around the article
    "huge": "not stored",  # over DOWNLOAD_MAXSIZE
}


@cache
def _articles() -> list[Any]:
    return load_outlet("maseer")


def article_page(index: int, extra: bytes = b"", wrap: int = 0) -> bytes:
    article = _articles()[index % len(_articles())]
    paragraphs = "".join(f"<p>{p.lstrip('# ')}</p>" for p in article.body)
    body = (f"<article><h1>{article.title}</h1><time datetime='{article.published.isoformat()}'>"
            f"{article.published.date()}</time><div class='entry-content'>{paragraphs}</div>"
            f"</article>")
    head = (f"<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>"
            f"{article.title}</title><meta property='article:published_time' "
            f"content='{article.published.isoformat()}'></head><body>")
    page = head.encode() + b"<div>" * wrap + body.encode() + extra + b"</div>" * wrap
    return page + b"</body></html>"


@cache
def gzip_bomb() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    chunk = b"\0" * (1 << 20)
    parts = [squeeze.compress(chunk) for _ in range(BOMB_BYTES >> 20)]
    return b"".join(parts) + squeeze.flush()


def entity_bomb(kind: str) -> bytes:
    """Billion laughs in a feed: 10 levels of 10 references, 10^9 'lol's if expanded."""
    levels = ["<!ENTITY lol0 'lol'>"] + [
        f"<!ENTITY lol{i} '{f'&lol{i - 1};' * 10}'>" for i in range(1, 10)]
    doctype = f"<!DOCTYPE {kind} [{''.join(levels)}]>"
    if kind == "rss":
        return (f"<?xml version='1.0'?>{doctype}<rss version='2.0'><channel><title>&lol9;"
                "</title><item><title>&lol9;</title><link>/a/bomb-item</link></item>"
                "</channel></rss>").encode()
    return (f"<?xml version='1.0'?>{doctype}<urlset xmlns='http://www.sitemaps.org/schemas/"
            "sitemap/0.9'><url><loc>&lol9;</loc></url></urlset>").encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: HostileOutlet


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        owner = self.server.owner
        owner.record(self.server, self.path)
        if self.server is owner.bystander_server:
            return self._send(200, b"bystander: nobody should ask me", "text/plain")
        try:
            self._route(urlsplit(self.path).path, owner)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on a fault page: that is the point

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", headers={"Location": location})

    def _route(self, path: str, owner: HostileOutlet) -> None:
        if path == "/":
            links = "".join(f"<a href='/a/{f}'>{f}</a>" for f in FAULTS)
            return self._send(200, f"<html><body>{links}</body></html>".encode())
        if path == "/feed":
            items = "".join(f"<item><title>{f}</title><link>{owner.origin}/a/{f}</link></item>"
                            for f in FAULTS)
            return self._send(200, f"<?xml version='1.0'?><rss version='2.0'><channel>"
                                   f"<title>hostile</title>{items}</channel></rss>".encode(),
                              "application/rss+xml")
        if path == "/good":
            links = "".join(f"<a href='/a/good-{n}'>{n}</a>" for n in range(owner.good_articles))
            return self._send(200, f"<html><body>{links}</body></html>".encode())
        if path == "/feed-good":  # only good articles (the store failure tests)
            items = "".join(f"<item><title>{n}</title><link>{owner.origin}/a/good-{n}</link>"
                            "</item>" for n in range(owner.good_articles))
            return self._send(200, f"<?xml version='1.0'?><rss version='2.0'><channel>"
                                   f"<title>good</title>{items}</channel></rss>".encode(),
                              "application/rss+xml")
        if path in ("/feed-bomb", "/sitemap-bomb"):
            kind = "rss" if path == "/feed-bomb" else "urlset"
            return self._send(200, entity_bomb(kind), "application/xml")
        if not path.startswith("/a/"):
            return self._send(404, b"<html><body>not found</body></html>")
        fault = path.removeprefix("/a/")
        hits = owner.hits[path]
        if owner.on_request is not None:
            owner.on_request(path)
        if fault.startswith("good-"):
            return self._send(200, article_page(100 + int(fault.removeprefix("good-"))))
        index = list(FAULTS).index(fault) if fault in FAULTS else 0
        if fault in ("good", "redirect-target"):
            return self._send(200, article_page(len(FAULTS) if fault != "good" else index))
        if fault.startswith("status-"):
            codes = [int(c) for c in fault.removeprefix("status-").split("-")]
            code = codes[min(hits - 1, len(codes) - 1)]
            if code == 200:
                return self._send(200, article_page(index))
            return self._send(code, b"<html><body>busy</body></html>",
                              headers={"Retry-After": "1" if code == 429 else "3600"})
        if fault == "hang":
            time.sleep(HANG_SECONDS)
            return self._send(200, article_page(index))
        if fault == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(10 * 1024 * 1024))
            self.end_headers()
            for _ in range(int(HANG_SECONDS)):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(1.0)
            return None
        if fault == "partial":
            page = article_page(index)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page[: len(page) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if fault == "gzip-bomb":
            return self._send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
        if fault == "redirect-chain":
            return self._redirect(f"/a/redirect-chain-{hits}")
        if fault.startswith("redirect-chain-"):
            step = int(fault.rsplit("-", 1)[1])
            return self._redirect(f"/a/redirect-chain-{step + 1}")
        if fault == "redirect-loop":
            return self._redirect("/a/redirect-loop")
        if fault == "redirect-ok":
            return self._redirect("/a/redirect-target")
        if fault == "redirect-port":
            return self._redirect(f"{owner.bystander}/admin")
        if fault == "redirect-private":
            return self._redirect("http://10.255.255.1/admin")
        if fault == "redirect-metadata":
            return self._redirect("http://169.254.169.254/latest/meta-data/")
        if fault == "redirect-offsite":
            return self._redirect("https://example.com/a/good")
        if fault == "redirect-name":
            return self._redirect(f"http://{owner.declared_name}/admin")
        if fault == "redirect-scheme":
            return self._redirect("file:///etc/passwd")
        if fault == "binary":
            return self._send(200, PNG)
        if fault == "empty":
            return self._send(200, b"")
        if fault == "truncated":
            page = article_page(index)
            return self._send(200, page[: page.index(b"<article>") + 40])
        if fault == "invalid-bytes":
            page = article_page(index)
            cut = page.index(b"</p>")
            return self._send(200, page[:cut] + b" \xff\xfe\xc3(\xa0\xa1 " + page[cut:])
        if fault == "deep-nesting":
            return self._send(200, article_page(index, wrap=NESTING))
        if fault == "huge":
            filler = b"<p>" + "حشو ".encode() * 200 + b"</p>"
            body = article_page(index, extra=filler * (HUGE_BYTES // len(filler)))
            return self._send(200, body)
        return self._send(404, b"<html><body>no such fault</body></html>")


class HostileOutlet:
    """The hostile outlet and its bystander on loopback; a context manager."""

    def __init__(self, host: str = "127.0.0.1", good_articles: int = 20,
                 on_request: Callable[[str], None] | None = None) -> None:
        self.host = host
        self.good_articles = good_articles  # listed by /feed-good
        self.on_request = on_request  # called with each /a/ path before it is answered
        # A domain the outlet declares whose name resolves to a private or loopback address (this
        # machine's host name): the guard must resolve it and refuse, as for DNS rebinding.
        self.declared_name = socket.gethostname().lower()
        self.hits: Counter[str] = Counter()
        self.bystander_hits: list[str] = []
        self._lock = threading.Lock()
        self.server = _Server((host, 0), _Handler)
        self.bystander_server = _Server((host, 0), _Handler)
        for server in (self.server, self.bystander_server):
            server.owner = self
        self.origin = f"http://{host}:{self.server.server_port}"
        self.bystander = f"http://{host}:{self.bystander_server.server_port}"
        self._threads: list[threading.Thread] = []

    def record(self, server: _Server, path: str) -> None:
        with self._lock:
            if server is self.bystander_server:
                self.bystander_hits.append(path)
            else:
                self.hits[urlsplit(path).path] += 1

    def outlets_toml(self, outlet_id: str = "hostile", good_only: bool = False,
                     concurrency: int = 16) -> str:
        """An outlets file for the hostile outlet: feeds of the faults and two entity bombs, or
        (good_only) one feed of good articles."""
        o = self.origin
        feeds = f"[\"{o}/feed-good\"]" if good_only else f"[\"{o}/feed\", \"{o}/feed-bomb\"]"
        sitemaps = "[]" if good_only else f"[\"{o}/sitemap-bomb\"]"
        home = f"{o}/good" if good_only else f"{o}/"
        return (f"[outlets.{outlet_id}]\nname = \"Hostile\"\nhome = \"{home}\"\n"
                f"feeds = {feeds}\nsitemaps = {sitemaps}\n"
                f"allowed_domains = [\"{self.host}\", \"{self.declared_name}\"]\n"
                "article_url = ['^/a/']\ndiscover = false\n"
                f"politeness = {{ delay = 0.0, concurrency = {concurrency} }}\n")

    def __enter__(self) -> HostileOutlet:
        gzip_bomb()  # built before the crawl starts, not while it waits
        for server in (self.server, self.bystander_server):
            thread = threading.Thread(target=server.serve_forever, daemon=True,
                                      kwargs={"poll_interval": 0.1})
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in (self.server, self.bystander_server):
            server.shutdown()
            server.server_close()
