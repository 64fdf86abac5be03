"""Crawl progress per outlet: pages, articles, errors.

On a terminal one live line per outlet is redrawn in place (all outlets of the process share the
block); elsewhere (a log file, `rasad run`'s children, CI) a plain line is written every
RASAD_PROGRESS_INTERVAL seconds when the figures changed, and once when the outlet is done.
RASAD_PROGRESS = auto (default) | tty | lines | off.
"""
from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def figures(stats: dict[str, Any]) -> dict[str, int]:
    """The progress figures from Scrapy's stats."""
    errors = sum(v for k, v in stats.items() if k.startswith("rasad/errors/"))
    skipped = stats.get("rasad/conditional/lastmod_skipped", 0)  # answered without a request
    return {
        "pages": stats.get("response_received_count", 0) - skipped,
        "unchanged": stats.get("rasad/conditional/not_modified", 0),
        "articles": stats.get("rasad/extract/ok", 0),
        "new": stats.get("rasad/articles/new", 0),
        "errors": errors,
    }


def render(outlet: str, f: dict[str, int], state: str = "") -> str:
    return (f"{outlet:<16} pages {f['pages']:>5} (304: {f['unchanged']:>3})  "
            f"articles {f['articles']:>4} (new {f['new']:>4})  errors {f['errors']:>3}"
            + (f"  {state}" if state else ""))


class _Board:
    """The live block of lines on a terminal, one per outlet, shared by the process's crawls.
    Log lines written meanwhile go above it: the block is wiped first and redrawn below them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lines: dict[str, str] = {}
        self.drawn = 0
        proxy = _Above(self)
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is stream:
                handler.setStream(proxy)  # type: ignore[arg-type]
        if sys.stderr is stream:
            sys.stderr = proxy  # type: ignore[assignment]

    def clear(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")  # to the block's top, erase below
            self.drawn = 0

    def show(self, outlet: str, line: str) -> None:
        self.lines[outlet] = line
        self.clear()
        self.stream.write("".join(f"\x1b[2K{text}\n" for text in self.lines.values()))
        self.stream.flush()
        self.drawn = len(self.lines)


class _Above:
    """A stream for everything else on the terminal: written above the live block."""

    def __init__(self, board: _Board) -> None:
        self.board = board

    def write(self, text: str) -> int:
        self.board.clear()
        return self.board.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.board.stream, name)


_boards: dict[int, _Board] = {}


class Progress:
    def __init__(self, crawler: Any, mode: str, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.stream = stream
        self.loop: task.LoopingCall | None = None
        self.last: dict[str, int] | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        settings = crawler.settings
        mode = str(settings.get("RASAD_PROGRESS") or "auto")
        if mode not in ("auto", "tty", "lines", "off"):
            raise NotConfigured(f"RASAD_PROGRESS={mode!r}: use auto, tty, lines or off")
        stream = sys.stderr
        if mode == "auto":
            mode = "tty" if stream.isatty() else "lines"
        if mode == "off":
            raise NotConfigured("RASAD_PROGRESS=off")
        default = 0.5 if mode == "tty" else 10.0
        interval = settings.getfloat("RASAD_PROGRESS_INTERVAL") \
            if settings.get("RASAD_PROGRESS_INTERVAL") not in (None, "") else default
        ext = cls(crawler, mode, interval, stream)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=self.mode == "tty")

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.emit(f"{reason} in {time.monotonic() - self.started:.0f}s", force=True)

    def tick(self) -> None:
        self.emit("crawling")

    def emit(self, state: str, force: bool = False) -> None:
        now = figures(self.crawler.stats.get_stats())
        if self.mode == "lines" and now == self.last and not force:
            return  # an idle crawl does not fill the log
        self.last = now
        outlet = self.crawler.spider.name if self.crawler.spider else "?"
        line = render(outlet, now, state)
        if self.mode == "tty":
            _boards.setdefault(id(self.stream), _Board(self.stream)).show(outlet, line)
        else:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
            self.stream.write(f"{stamp} progress {line}\n")
            self.stream.flush()
