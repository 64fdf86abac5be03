"""`make bench` section "alerts": what the topic listener costs each stored article, and how close
the dispatcher's webhook deliveries come to bare HTTP posts to the same local receiver. Figures are
medians of repeated runs; compare the ratios (the machine is shared).

    python -m crawler.dev.bench.alerts [--repeat 5] [--messages 200]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from crawler.alerts.config import load_alerts
from crawler.alerts.dispatcher import Dispatcher
from crawler.alerts.listener import TopicListener, load_topics_cached
from crawler.dev.bench import write_rate
from crawler.dev.mirror.corpus import OUTLETS, load_outlet
from storage.alerts import enqueue
from storage.articles import ArticleStore
from storage.db import connect, transaction
from storage.record import Article
from storage.runs import close_run, open_run


def _articles() -> list[Article]:
    out = []
    for outlet in OUTLETS:
        for a in load_outlet(outlet):
            url = f"https://{outlet}.example/{a.key}"
            out.append(Article(url=url, canonical_url=url, outlet=outlet, title=a.title,
                               body=a.body_text(), published=a.day.isoformat()))
    return out


def _store_rate(articles: list[Article], listeners: list[Any], folder: Path) -> float:
    db = connect(folder / f"s{time.perf_counter_ns()}.db")
    for outlet in OUTLETS:  # not a baseline: matches are queued, as in a routine crawl
        close_run(db, open_run(db, outlet), "ok", "finished", {})
    return write_rate(db, articles, listeners)


class _Receiver:
    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers
            disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms)

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _dispatch_rate(folder: Path, url: str, n: int, topics: dict[str, Any]) -> float:
    run = folder / f"d{time.perf_counter_ns()}"
    run.mkdir()
    (run / "alerts.toml").write_text(
        f'[channels.hook]\nkind = "webhook"\nurl = "{url}"\n', encoding="utf-8")
    cfg = load_alerts(run / "alerts.toml")
    db = connect(run / "t.db")
    for outlet in OUTLETS:
        close_run(db, open_run(db, outlet), "ok", "finished", {})
    store = ArticleStore(db, [TopicListener(topics, cfg)])
    src = next(a for a in _articles() if topics["partnership"].match(a.title, a.body).matched)
    added = store.add(src, src.canonical_url)
    # n distinct stories of one article: the dispatcher's work, without n distinct texts.
    with transaction(db) as conn:
        for i in range(1, n):
            enqueue(conn, 1_000_000 + i, added.article_id, "partnership", ["hook"])
    start = time.perf_counter()
    report = Dispatcher(db, cfg, run).run()
    elapsed = time.perf_counter() - start
    db.conn.close()
    sent = report.channels["hook"].sent
    if sent != n:
        raise RuntimeError(f"bench: dispatched {sent} of {n}")
    return n / elapsed


def _bare_rate(url: str, n: int) -> float:
    body = b'{"type":"rasad.alert","data":{}}' * 20
    with httpx.Client(timeout=10) as client:
        start = time.perf_counter()
        for i in range(n):
            client.post(url, content=body, headers={"webhook-id": f"msg_{i}"}).raise_for_status()
        return n / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.dev.bench.alerts")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args(argv or [])
    topics = load_topics_cached()
    articles = _articles()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg_path = folder / "alerts.toml"
        cfg_path.write_text('[channels.file]\nkind = "jsonl"\npath = "x.jsonl"\n', "utf-8")
        listener = TopicListener(topics, load_alerts(cfg_path))
        bare, with_topics = [], []
        for _ in range(args.repeat):
            bare.append(_store_rate(articles, [], folder))
            with_topics.append(_store_rate(articles, [listener], folder))
        b, w = statistics.median(bare), statistics.median(with_topics)
        print(f"store {len(articles)} articles, no listener        {b:8.0f} articles/s")
        print(f"store {len(articles)} articles, + topic listener   {w:8.0f} articles/s  "
              f"(ratio {w / b:.2f}; {1000 / w - 1000 / b:.2f} ms per article)")
        rx = _Receiver()
        try:
            raw, ours = [], []
            for _ in range(args.repeat):
                raw.append(_bare_rate(rx.url, args.messages))
                ours.append(_dispatch_rate(folder, rx.url, args.messages, topics))
        finally:
            rx.server.shutdown()
            rx.server.server_close()
        r, o = statistics.median(raw), statistics.median(ours)
        print(f"webhook: bare httpx posts (ceiling)       {r:8.0f} messages/s")
        print(f"webhook: dispatcher ({args.messages} alerts)         {o:8.0f} messages/s  "
              f"(ratio {o / r:.2f}: claim + attempt log + record, 3 transactions per message)")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
