"""`rasad extract URL`: one page fetched as the crawler would (User-Agent, robots.txt at every
origin on the way, redirects) from real local servers, then extracted."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from crawler.dev.mirror import iter_pages
from tests.conftest import MIRROR_CONFIG, origin_args, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

UA = "rasad-test/1.0 (+https://example.org/contact)"
PAGE = next(p for p in iter_pages() if p.outlet == "maseer")


class _Site(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        elif self.path == "/news/1":
            self._send(200, PAGE.body, "text/html; charset=utf-8")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/private/1")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    _Site.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_fetches_with_the_user_agent_after_robots(site: str) -> None:
    proc = rasad("extract", f"{site}/news/1", env={"RASAD_USER_AGENT": UA})
    article = json.loads(proc.stdout)
    assert article["title"] == PAGE.truth["title"]
    assert article["url"] == f"{site}/news/1"
    assert _Site.seen == [("/robots.txt", UA), ("/news/1", UA)]


@pytest.mark.parametrize("path", ["/private/2", "/moved"])
def test_robots_disallow_is_obeyed_after_redirects_too(site: str, path: str) -> None:
    proc = rasad("extract", f"{site}{path}", env={"RASAD_USER_AGENT": UA}, check=False)
    assert proc.returncode == 1
    record = json.loads(proc.stdout)
    assert "disallowed by" in record["error"] and "robots.txt" in record["error"]
    assert not any(p.startswith("/private") for p, _ in _Site.seen)


def test_outlet_rules_apply_to_a_mirror_url(mirror: object) -> None:
    url = PAGE.url.replace("http://127.0.0.1:8702", mirror.origins["maseer"])  # type: ignore
    proc = rasad("extract", url, "--config", str(MIRROR_CONFIG), *origin_args(mirror))
    article = json.loads(proc.stdout)
    assert article["outlet"] == "maseer"
    assert article["body"].split("\n") == PAGE.truth["body"].split("\n")


def test_neither_file_nor_url_is_one_line(tmp_path: Any) -> None:
    proc = rasad("extract", str(tmp_path / "missing.html"), check=False)
    assert proc.returncode == 2 and "neither a file nor an http(s) URL" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_redirect_to_the_metadata_service_is_refused(tmp_path: Any) -> None:
    import http.server

    class Redirect(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = rasad("extract", f"http://127.0.0.1:{server.server_port}/x", check=False,
                     timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 1
    assert "refused" in json.loads(proc.stdout)["error"]
