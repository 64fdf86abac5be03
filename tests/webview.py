"""Helpers for the web-view tests: `rasad serve` as a child process on a free loopback port,
Debian's Chromium through playwright, and where screenshots go (printed at the end of the run)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Path, env: dict[str, str] | None = None, *args: str) -> Iterator[str]:
    port = free_port()
    exe = Path(sys.executable).parent / "rasad"
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    out = proc.stdout.read() if proc.stdout else ""
                    raise AssertionError(f"rasad serve did not start:\n{out}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextmanager
def chromium() -> Iterator[object]:
    exe = shutil.which("chromium")
    assert exe, "Debian's chromium is needed (make test installs it: apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # playwright gives each launch a new temporary --user-data-dir.
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


def screenshots_dir() -> Path:
    """RASAD_TEST_ARTIFACTS, else a folder under the system temp dir; conftest prints it."""
    root = os.environ.get("RASAD_TEST_ARTIFACTS") or os.path.join(tempfile.gettempdir(),
                                                                   "rasad-test-artifacts")
    path = Path(root) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


SHOTS: list[Path] = []


def screenshot(page: object, name: str) -> Path:
    path = screenshots_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    SHOTS.append(path)
    return path
