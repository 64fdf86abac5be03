"""Which config files passed their check before: a crawl checks its topic and alert files before
its first request (compiling every topic against the gazetteers, importing every channel kind:
~40 ms of each start). When the same bytes, checked by the same code, passed before, the check
is skipped, and the crawl compiles the topics when its first article needs them (an unchanged
re-crawl never does).

A pass is remembered as an empty marker file in the RASAD_CACHE_DIR setting's folder (default
`$XDG_CACHE_HOME/rasad`, else `~/.cache/rasad`), under `validated/`, named by the SHA-256 of the
files' paths and bytes and of the checking code (path, size and mtime of each of its modules). A
failing check is never remembered, so every config error is reported as before; a cache that
cannot be read or written only means the check runs."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from crawler.config import DEFAULT_ALERTS, DEFAULT_TOPICS

# The packages whose code decides whether a topics or alerts file is valid.
_CODE_DIRS = ("topics", "alerts", "alerts/channels", "config")


def cache_dir() -> Path:
    from crawler.settings import RASAD_CACHE_DIR

    return Path(RASAD_CACHE_DIR)


def key(kind: str, files: Iterable[Path]) -> str:
    """The marker name for checking `files` (a missing file counts as such) as `kind`."""
    digest = hashlib.sha256(kind.encode())
    for path in files:
        digest.update(b"\0file\0" + str(path.resolve()).encode())
        try:
            digest.update(b"\0" + path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    root = Path(__file__).resolve().parents[1]
    for sub in _CODE_DIRS:
        for entry in sorted(os.scandir(root / sub), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                digest.update(f"\0{entry.path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def crawl_files(alerts_path: str | None, topics_path: str | None) -> str:
    """The marker of a crawl's topic and alert files (`rasad crawl --alerts --topics`)."""
    return key("crawl", [Path(alerts_path) if alerts_path else DEFAULT_ALERTS,
                         Path(topics_path) if topics_path else DEFAULT_TOPICS])


def seen(marker: str) -> bool:
    return (cache_dir() / "validated" / marker).exists()


def remember(marker: str) -> None:
    folder = cache_dir() / "validated"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / marker).touch()
    except OSError:
        pass  # not remembered: the next crawl checks again
