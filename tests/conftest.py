"""Shared fixtures: the offline mirror on loopback and `rasad` run as a real child process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIRROR_CONFIG = ROOT / "config" / "mirror.toml"


@pytest.fixture(scope="module")
def mirror() -> Iterator[object]:
    from crawler.dev.mirror import Mirror

    with Mirror() as m:
        yield m


def origin_args(mirror: object) -> list[str]:
    args = []
    for outlet_id, origin in mirror.origins.items():  # type: ignore[attr-defined]
        args += ["--origin", f"{outlet_id}={origin}"]
    return args


def rasad(*args: str, check: bool = True, env: dict | None = None,
          timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `rasad` console script as a user would."""
    exe = Path(sys.executable).parent / "rasad"
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"rasad {' '.join(args)} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-4000:]}")
    return proc


def crawl_mirror(mirror: object, db: Path, *extra: str, env: dict | None = None) -> list[dict]:
    proc = rasad("crawl", "--config", str(MIRROR_CONFIG), *origin_args(mirror),
                 "--db", str(db), "--json", *extra, env=env)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def pytest_terminal_summary(terminalreporter: object) -> None:
    """Where the web-view tests left their screenshots of each page."""
    try:
        from tests.webview import SHOTS
    except ImportError:
        return
    if SHOTS:
        terminalreporter.write_line(  # type: ignore[attr-defined]
            f"web view screenshots ({len(SHOTS)}): {SHOTS[0].parent}")
