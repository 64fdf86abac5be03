"""Worker mode's leases, one mechanism at a time, against a real redis-server: a request marked
seen is always queued in the same step; a lease expiring while its request is in the duplicate
filter still gets the page fetched; a lease ends only once its response's outputs are queued and
pushed; the shared scheduler rides out a Redis restart; a download that keeps failing is tried
again later in the round, then given up visibly (issue 15)."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import scrapy
from conftest import MIRROR_CONFIG, origin_args
from redisd import RedisServer, drained, spawn, wait_written
from scrapy import signals
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager

from crawler.cluster import keys
from crawler.cluster.frontier import Frontier, SharedScheduler
from crawler.cluster.worker import LeaseRelease


@pytest.fixture()
def redisd(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


def test_seen_and_queued_in_one_step_and_a_lapsed_lease_is_not_filtered(
        redisd: RedisServer) -> None:
    client = keys.connect(redisd.url)
    a, b = Frontier(client, "maseer", "a"), Frontier(client, "maseer", "b")
    assert a.begin_round("t0", "fp") == "started"
    assert a.enqueue(b"article 7", 0, "fp7") is True
    assert b.enqueue(b"article 7, other URL shape", 0, "fp7") is False  # seen: filtered
    assert client.sismember(a.keys.dupefilter, "fp7") and a.depth() == (1, 0)
    client.set(keys.worker_key("a"), "{}", px=200)
    client.set(keys.worker_key("b"), "{}", px=60_000)
    token, _ = a.pop()  # type: ignore[misc]
    # a holds a politeness slot of the outlet (crawler.cluster.politeness), b one too.
    client.zadd(a.keys.polite_holders, {"a/1": 2**50, "b/1": 2**50})
    # a's heartbeat lapses (a slow machine, a kill) while its request is in the filter: the
    # lease goes back to the queue as it is, not through the filter, so b fetches the page.
    time.sleep(0.3)
    assert b.requeue_dead() == 1
    assert client.zrange(a.keys.polite_holders, 0, -1) == [b"b/1"]  # a's slot given back
    taken = b.pop()
    assert taken is not None and taken[1] == b"article 7"
    assert b.enqueue(b"article 7", 0, "fp7") is False  # a third link: still fetched once
    # A filtered redirect or retry still ends the lease it replaces, in the same script.
    assert b.enqueue(b"redirect target", 0, "fp7", release=taken[0]) is False
    assert b.depth() == (0, 0) and not client.hlen(b.keys.owners)
    # a, still running after all, ends its lease: harmless, the page was leased again.
    a.release(token)
    assert b.finish_round("t1") == 1


def _lease_middleware(frontier: Frontier) -> tuple[LeaseRelease, Any]:
    crawler = SimpleNamespace(settings=Settings({"RASAD_REDIS_URL": "redis://"}),
                              signals=SignalManager(), spider=SimpleNamespace(frontier=frontier))
    return LeaseRelease.from_crawler(crawler), crawler


def _leased_response(frontier: Frontier, url: str) -> HtmlResponse:
    frontier.push(url.encode(), 0)
    token, _ = frontier.pop()  # type: ignore[misc]
    request = scrapy.Request(url, meta={"rasad_lease": token})
    return HtmlResponse(url, body=b"<html></html>", request=request)


def test_a_lease_ends_when_its_outputs_are_handled_not_when_the_callback_returns(
        redisd: RedisServer) -> None:
    client = keys.connect(redisd.url)
    frontier = Frontier(client, "maseer", "w")
    mw, crawler = _lease_middleware(frontier)
    response = _leased_response(frontier, "http://127.0.0.1:1/listing")
    token = response.request.meta["rasad_lease"]  # type: ignore[union-attr]
    child, item = scrapy.Request("http://127.0.0.1:1/archives/7"), {"title": "x"}
    # Scrapy's scraper reads the callback's output ahead: the callback has returned...
    out = list(mw.process_spider_output(response, iter([child, item, None])))
    assert out == [child, item, None] and child.meta["rasad_parent"] == token
    # ...while the request is not queued nor the article pushed yet: the lease must hold.
    assert client.hexists(frontier.keys.inflight, token)
    frontier.output_handled(token)  # SharedScheduler.enqueue_request queued the child
    assert client.hexists(frontier.keys.inflight, token)
    crawler.signals.send_catch_log(signals.item_scraped, item=item, response=response,
                                   spider=None)  # StreamPipeline pushed the article
    assert not client.hexists(frontier.keys.inflight, token)

    # An async callback (parse_article) the same way; nothing yielded: released at its end.
    article = _leased_response(frontier, "http://127.0.0.1:1/archives/8")
    token = article.request.meta["rasad_lease"]  # type: ignore[union-attr]

    async def parse_article() -> Any:
        yield {"title": "y"}

    async def consume(gen: Any) -> list[Any]:
        return [x async for x in gen]

    found = asyncio.run(consume(mw.process_spider_output_async(article, parse_article())))
    assert client.hexists(frontier.keys.inflight, token)
    crawler.signals.send_catch_log(signals.item_dropped, item=found[0], response=article,
                                   spider=None, exception=Exception())
    assert not client.hexists(frontier.keys.inflight, token)
    empty = _leased_response(frontier, "http://127.0.0.1:1/archives/9")
    assert list(mw.process_spider_output(empty, iter([]))) == []
    assert frontier.depth() == (0, 0)


class _Probe(scrapy.Spider):
    name = "maseer"
    outlet = None

    def parse(self, response: Any, **kwargs: Any) -> Any: ...


def test_the_shared_scheduler_rides_out_a_redis_restart(redisd: RedisServer) -> None:
    """Its queue and duplicate filter use the frontier's client (retried for ~30 s), not
    scrapy-redis's own (no retry): a request met during a restart once raised in Scrapy's
    scraper, whose task died with the response half handled, and the worker never ended."""
    from crawler.cluster.crawl import SCRAPY_REDIS

    settings = Settings({**SCRAPY_REDIS, "REDIS_URL": redisd.url})
    frontier = Frontier(keys.connect(redisd.url), "maseer", "w")
    spider = _Probe()
    spider.settings, spider.frontier = settings, frontier
    scheduler = SharedScheduler.from_settings(settings)
    scheduler.open(spider)
    parent = _leased_response(frontier, "http://127.0.0.1:1/listing")
    token = parent.request.meta["rasad_lease"]  # type: ignore[union-attr]
    frontier.expect_output(token)
    frontier.outputs_ended(token)
    child = scrapy.Request("http://127.0.0.1:1/archives/7", meta={"rasad_parent": token})
    for check in ("idle", "enqueue"):
        redisd.stop()
        restart = threading.Timer(1.5, redisd.start)
        restart.start()
        try:
            if check == "idle":  # the engine's idle check (ZCARD) waits for Redis
                assert not scheduler.has_pending_requests()
            else:  # so does queueing what a response led to
                assert scheduler.enqueue_request(child) is True
        finally:
            restart.join()  # the server is up again before the fixture stops it
    assert scheduler.has_pending_requests()
    assert not frontier.server.hexists(frontier.keys.inflight, token)  # the parent's lease
    again = scheduler.next_request()
    assert again.url == child.url and "rasad_parent" not in again.meta
    assert scheduler.enqueue_request(scrapy.Request(child.url)) is False  # seen


@pytest.fixture()
def flaky_mirror() -> Iterator[Any]:
    from crawler.dev.mirror import Mirror

    with Mirror(faults=False) as m:
        yield m


def _fail(mirror: Any, outlet: str, paths: dict[str, int]) -> dict[str, int]:
    """The outlet's server answers 503 to each path its first N requests (N = paths[path])."""
    from crawler.dev.mirror.site import Response

    site, seen = mirror.sites[outlet], dict.fromkeys(paths, 0)
    respond = site.respond

    def flaky(target: str) -> Any:
        if target in paths:
            seen[target] += 1
            if seen[target] <= paths[target]:
                return Response(503, b"busy", {"Content-Type": "text/plain"})
        return respond(target)

    site.respond = flaky
    return seen


@pytest.mark.e2e  # a real worker and writer against the mirror
def test_a_download_that_keeps_failing_is_tried_again_then_given_up(
        tmp_path: Path, flaky_mirror: Any, redisd: RedisServer) -> None:
    from urllib.parse import urlsplit

    urls = flaky_mirror.expected_articles("maseer")
    flaky, broken = (urlsplit(u).path for u in urls[3:5])
    # Scrapy tries 3 times per attempt (RETRY_TIMES 2): the first attempt fails, the second
    # gets through on its second try; the broken page fails all 3 attempts (9 tries).
    seen = _fail(flaky_mirror, "maseer", {flaky: 4, broken: 10**6})
    db = tmp_path / "r.db"
    config = ["--config", str(MIRROR_CONFIG), *origin_args(flaky_mirror)]
    writer = spawn("ingest", "--redis", redisd.url, "--db", str(db), *config,
                   log=tmp_path / "writer.log")
    client = keys.connect(redisd.url)
    while not client.exists(keys.KNOWN_READY):
        assert writer.poll() is None
        time.sleep(0.1)
    worker = spawn("crawl", "--redis", redisd.url, *config, "--outlet", "maseer", "--json",
                   log=tmp_path / "worker.log")
    out, _ = worker.communicate(timeout=300)
    assert worker.returncode == 0, out
    status = wait_written(redisd.url, MIRROR_CONFIG, lambda s: drained(
        {**s, "outlets": [o for o in s["outlets"] if o["outlet"] == "maseer"]}), timeout=300)
    writer.terminate()
    writer.communicate(timeout=60)
    assert seen == {flaky: 5, broken: 9}
    stored = {urlsplit(u).path for (u,) in sqlite3.connect(db).execute(
        "SELECT canonical_url FROM articles")}
    assert flaky in stored and broken not in stored and len(stored) == len(urls) - 1
    failed = {urlsplit(keys.text(u)).path: keys.text(v)
              for u, v in client.hgetall(keys.OutletKeys("maseer").failed).items()}
    assert failed == {broken: "3 http_503"}
    assert [o["failed"] for o in status["outlets"] if o["outlet"] == "maseer"] == [1]
    (stats,) = [json.loads(s) for (s,) in sqlite3.connect(db).execute(
        "SELECT stats FROM crawl_runs WHERE outlet = 'maseer'")]
    assert stats["rasad/cluster/retried"] == 3 and stats["rasad/cluster/gave_up"] == 1
    assert "gave up on" in (tmp_path / "worker.log").read_text()
