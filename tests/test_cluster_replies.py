"""Worker mode when Redis ran a command but its reply was lost (a Redis shutting down, a dropped
connection): the client (keys.connect) sends the command again, so each one must be harmless to
run twice. Against a real redis-server behind a proxy that loses one reply (redisd.ReplyDropper):
a pop returns the request it took and every request is taken once; the worker that started a
round still seeds it; a politeness slot taken is held, once; the writer takes its lock, and
writes, in stream order and without a restart, the articles of a read whose reply was lost."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from conftest import MIRROR_CONFIG
from redisd import RedisServer, ReplyDropper

from crawler.cluster import ingest, keys
from crawler.cluster.frontier import Frontier


@pytest.fixture()
def redisd(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture()
def proxy(redisd: RedisServer) -> Iterator[ReplyDropper]:
    with ReplyDropper(redisd.port) as dropper:
        yield dropper


def _loaded(client: redis.Redis, *scripts: Any) -> None:
    """Load the scripts first: an EVALSHA answered NOSCRIPT would be the reply lost."""
    for script in scripts:
        client.script_load(script.script)


def test_the_proxy_loses_the_reply_of_a_command_that_ran(
        redisd: RedisServer, proxy: ReplyDropper) -> None:
    client = keys.connect(proxy.url)
    proxy.drop(b"INCR")
    assert client.incr("n") == 2  # the hazard itself: run, reply lost, sent again
    assert proxy.dropped.is_set() and client.get("n") == b"2"


def test_a_pop_whose_reply_is_lost_returns_the_request_it_took(
        redisd: RedisServer, proxy: ReplyDropper) -> None:
    frontier = Frontier(keys.connect(proxy.url), "maseer", "w")
    _loaded(redisd.client(), frontier._pop)
    queued = {f"request {n}".encode() for n in range(5)}
    for n, data in enumerate(sorted(queued)):
        frontier.push(data, n)
    proxy.drop(frontier._pop.sha.encode())
    first = frontier.pop()
    assert proxy.dropped.is_set()
    assert first is not None and first[1] == b"request 0"  # the head of the queue
    taken = [first]
    while (got := frontier.pop()) is not None:
        taken.append(got)
    # Each request taken once, each under its own lease: none lost, none leased twice.
    assert sorted(data for _, data in taken) == sorted(queued)
    leases = {keys.text(k): v for k, v in redisd.client().hgetall(frontier.keys.inflight).items()}
    assert leases == dict(taken) and frontier.depth() == (0, 5)


def test_the_worker_whose_round_start_reply_was_lost_still_seeds_it(
        redisd: RedisServer, proxy: ReplyDropper) -> None:
    a = Frontier(keys.connect(proxy.url), "maseer", "a")
    b = Frontier(redisd.client(), "maseer", "b")
    _loaded(redisd.client(), a._begin)
    proxy.drop(a._begin.sha.encode())
    # Run twice, the second run once read "a round is running: join it"; nobody seeded it.
    assert a.begin_round("t0", "fp") == "started" and proxy.dropped.is_set()
    assert b.begin_round("t0", "fp") == "joined" and a.round_id == b.round_id == "1"
    starts = [e for _, e in redisd.client().xrange(keys.STREAM) if e[b"kind"] == b"run_start"]
    assert len(starts) == 1


def test_a_politeness_slot_whose_reply_was_lost_is_held_once(
        redisd: RedisServer, proxy: ReplyDropper) -> None:
    from crawler.cluster.politeness import _TAKE

    take = keys.connect(proxy.url).register_script(_TAKE)
    _loaded(redisd.client(), take)
    k = keys.OutletKeys("maseer")
    slot = [k.polite_next, k.polite_holders]
    proxy.drop(take.sha.encode())
    # Concurrency 1, a minute between starts: run again, the slot once answered "wait a
    # minute" (held by the asker itself) and its request stalled until the slot lapsed.
    assert take(keys=slot, args=["w/1", 1, 60_000, 60_000]) == 0 and proxy.dropped.is_set()
    assert take(keys=slot, args=["w/2", 1, 60_000, 60_000]) > 0  # taken: the others wait
    assert redisd.client().zrange(k.polite_holders, 0, -1) == [b"w/1"]


def _articles(n: int) -> list[tuple[str, dict[str, str]]]:
    """(URL, stream entry) of `n` distinct articles of the outlet maseer, round 1."""
    from crawler.cluster.stream import ArticleMessage
    from storage.record import Article

    words = ["السفينة", "الميناء", "الشحنة", "الاتفاق", "الوفد", "المعبر", "الطريق"]
    out = []
    for i in range(n):
        url = f"http://127.0.0.1:1/archives/{i + 1}"
        body = f"وصل {words[i % len(words)]} رقم {i + 1} صباح اليوم.\nفقرة ثانية عن {i * 37}."
        article = Article(url=url, canonical_url="", outlet="maseer", title=f"خبر {i + 1}",
                          body=body)
        out.append((url, ArticleMessage("maseer", "1", article, url, url, [], None).fields("w")))
    return out


@pytest.fixture()
def writer(tmp_path: Path, proxy: ReplyDropper) -> Iterator[ingest.Writer]:
    from crawler.config.outlets import load_config

    w = ingest.Writer(keys.connect(proxy.url), str(tmp_path / "w.db"),
                      load_config(MIRROR_CONFIG))
    try:
        yield w
    finally:
        w.close()


def test_the_writer_writes_what_a_read_whose_reply_was_lost_delivered(
        redisd: RedisServer, proxy: ReplyDropper, writer: ingest.Writer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "BATCH", 2)
    entries = _articles(5)
    for _, fields in entries:
        redisd.client().xadd(keys.STREAM, fields)  # type: ignore[arg-type]
    # The first read of new entries delivers articles 1-2 and its reply is lost: they sit in
    # the writer's pending list; the read sent again delivers 3-4.
    proxy.drop(b"$1\r\n>\r\n")
    deadline = time.monotonic() + 30
    report = writer.run(lambda: time.monotonic() > deadline, drain=True)
    assert proxy.dropped.is_set()
    assert time.monotonic() < deadline  # drained, not stopped
    assert report.written == 5 and redisd.client().xlen(keys.STREAM) == 0
    with sqlite3.connect(writer.db_path) as conn:
        stored = [u for (u,) in conn.execute("SELECT canonical_url FROM articles ORDER BY id")]
    assert stored == [url for url, _ in entries]  # in stream order
    assert not redisd.client().xpending(keys.STREAM, keys.GROUP)["pending"]


def test_the_writer_lock_whose_reply_was_lost_is_taken(
        redisd: RedisServer, proxy: ReplyDropper, writer: ingest.Writer) -> None:
    proxy.drop(b"$2\r\nNX\r\n")
    writer.take_lock(wait=1.0)  # once waited for itself, then WriterBusy "another writer"
    assert proxy.dropped.is_set()
    assert redisd.client().get(keys.WRITER_LOCK) == writer.ident.encode()
