"""Each extractor call in a worker process (one per system): a page that overruns the timeout
kills the worker (counted as a timeout) instead of the run."""
from __future__ import annotations

import multiprocessing as mp
import time
from typing import Any

Result = dict[str, Any]


def rasad(data: bytes, url: str) -> Result:
    from crawler.extract import extract_page

    result = extract_page(data, url)
    art = result.article
    return {"reason": result.reason, "theme": result.theme, "body": art.body if art else "",
            "title": art.title if art else None, "date": art.published if art else None,
            "author": art.author if art else None}


def trafilatura(data: bytes, url: str) -> Result:
    """Plain trafilatura as the benchmarks run it: comments left out, tables kept."""
    import trafilatura as traf

    doc = traf.bare_extraction(data, url=url, with_metadata=True, include_comments=False,
                               include_tables=True)
    if doc is None:
        return {"reason": "none", "body": ""}
    return {"reason": "ok", "body": doc.text or "", "title": doc.title, "date": doc.date,
            "author": doc.author}


def htmldate(data: bytes, url: str) -> Result:
    from htmldate import find_date

    return {"date": find_date(data, url=url, original_date=True, extensive_search=True)}


SYSTEMS = {"rasad": rasad, "trafilatura": trafilatura, "htmldate": htmldate}
_WARM_UP = ("<html><head><title>Warm up</title></head><body><article><h1>Warm up</h1>"
            + "<p>A first page that loads every module the extractors use, once.</p>" * 5
            + "</article></body></html>").encode()


def _serve(conn: Any) -> None:
    import logging

    for name in ("trafilatura", "htmldate", "crawler"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    while True:
        job = conn.recv()
        if job is None:
            return
        name, data, url = job
        start, cpu = time.perf_counter(), time.process_time()
        try:
            out = SYSTEMS[name](data, url)
        except Exception as exc:  # a crash is a miss, named
            out = {"reason": f"crash:{type(exc).__name__}", "body": ""}
        out["ms"] = (time.perf_counter() - start) * 1000
        out["cpu_ms"] = (time.process_time() - cpu) * 1000
        conn.send(out)


class Worker:
    """One worker process per system. rasad's is not warmed up: its first page pays the imports
    and any data loaded on first use, as the first page of a crawl's worker process does (that
    page is reported as `first_ms`); the others import their library before the first page."""

    def __init__(self, timeout: float, system: str) -> None:
        self.timeout = timeout
        self.system = system
        self.first: list[Result] = []  # the first page of each process (restarts included)
        self._start()

    def _start(self) -> None:
        self.conn, child = mp.Pipe()
        self.proc = mp.get_context("fork").Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()
        self.fresh = True
        if self.system != "rasad":
            self.conn.send((self.system, _WARM_UP, "https://example.com/a"))
            self.conn.poll(60)
            self.conn.recv()

    def run(self, data: bytes, url: str) -> Result:
        self.conn.send((self.system, data, url))
        if self.conn.poll(self.timeout):
            out = self.conn.recv()
        else:
            self.proc.kill()
            self.proc.join()
            out = {"reason": "timeout", "body": "", "timeout": True, "ms": self.timeout * 1000,
                   "cpu_ms": self.timeout * 1000}
            self._start()
            return out
        if self.fresh:
            self.first.append(out)
            self.fresh = False
        return out

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(5)


class Workers:
    """A worker per system, started on first use."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.by_system: dict[str, Worker] = {}

    def run(self, system: str, data: bytes, url: str) -> Result:
        if system not in self.by_system:
            self.by_system[system] = Worker(self.timeout, system)
        return self.by_system[system].run(data, url)

    def first_ms(self, system: str) -> float | None:
        """The slowest first page of a process of `system` (wall ms), None if it never ran."""
        worker = self.by_system.get(system)
        return max((r["ms"] for r in worker.first), default=None) if worker else None

    def close(self) -> None:
        for worker in self.by_system.values():
            worker.close()
