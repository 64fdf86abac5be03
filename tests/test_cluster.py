"""Worker mode end to end: `rasad crawl --redis` workers and one `rasad ingest` writer against a
real redis-server (tests/redisd.py) and the offline mirror; and the frontier's leases and rounds
on that server. Each test uses its own Redis database number."""
from __future__ import annotations

import json
import signal
import sqlite3
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MIRROR_CONFIG, crawl_mirror, origin_args, rasad
from redisd import RedisServer, drained, spawn, wait_written

from crawler.cluster import keys
from crawler.cluster.frontier import Frontier


@pytest.fixture(scope="module")
def redisd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


def url(redisd: RedisServer, db: int) -> str:
    return f"redis://127.0.0.1:{redisd.port}/{db}"


def worker_args(mirror: object, redis_url: str, *extra: str) -> list[str]:
    return ["crawl", "--redis", redis_url, "--config", str(MIRROR_CONFIG), *origin_args(mirror),
            "--json", *extra]


def start_writer(mirror: object, redis_url: str, db: Path, *extra: str) -> object:
    writer = spawn("ingest", "--redis", redis_url, "--db", str(db), "--config",
                   str(MIRROR_CONFIG), *origin_args(mirror), *extra,
                   log=db.with_suffix(".writer.log"))
    client = keys.connect(redis_url)
    deadline = time.monotonic() + 60
    while not client.exists(keys.KNOWN_READY):  # the writer published the stored URLs
        assert writer.poll() is None, db.with_suffix(".writer.log").read_text()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return writer


def finished(proc: object, timeout: float = 180) -> list[dict]:
    out, _ = proc.communicate(timeout=timeout)  # type: ignore[attr-defined]
    assert proc.returncode == 0, out  # type: ignore[attr-defined]
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def stop_writer(writer: object) -> str:
    writer.send_signal(signal.SIGTERM)  # type: ignore[attr-defined]
    out, _ = writer.communicate(timeout=30)  # type: ignore[attr-defined]
    assert writer.returncode == 0, out  # type: ignore[attr-defined]
    return out


@pytest.mark.e2e  # real crawls or rasad subprocesses
def test_two_workers_and_a_writer_store_what_one_crawl_stores(
        tmp_path: Path, mirror: object, redisd: RedisServer) -> None:
    single = tmp_path / "single.db"
    crawl_mirror(mirror, single)
    redis_url = url(redisd, 1)
    db = tmp_path / "workers.db"
    writer = start_writer(mirror, redis_url, db)
    workers = [spawn(*worker_args(mirror, redis_url)) for _ in range(2)]
    results = [finished(w) for w in workers]
    for rows in results:
        assert {r["outlet"] for r in rows} == {"centcomcitadel", "maseer", "alqaed"}
        assert all(r["finish_reason"] == "finished" for r in rows)
    # Both did share the work, and every article was pushed once across workers.
    assert all(sum(r["requests"] for r in rows) > 0 for rows in results)
    status = wait_written(redis_url, MIRROR_CONFIG, drained)
    assert status["writer"]["articles"] == sum(r["pushed"] for rows in results for r in rows)
    assert [o["queued"] + o["in_flight"] for o in status["outlets"]] == [0, 0, 0]
    assert len(status["workers"]) == 2 and not any(w["alive"] for w in status["workers"])
    out = stop_writer(writer)
    assert out.startswith("ingest: ")

    with sqlite3.connect(db) as conn:
        conn.execute("ATTACH ? AS single", (str(single),))
        ours = {r[0] for r in conn.execute("SELECT canonical_url FROM articles")}
        theirs = {r[0] for r in conn.execute("SELECT canonical_url FROM single.articles")}
        assert ours == theirs and len(ours) > 80
        runs = conn.execute("SELECT outlet, outcome, pages_fetched, articles_new "
                            "FROM crawl_runs ORDER BY outlet").fetchall()
        new = dict(conn.execute("SELECT outlet, count(*) FROM articles GROUP BY outlet"))
        assert [(o, oc, n) for o, oc, _, n in runs] == \
            [(o, "ok", new[o]) for o in sorted(new)]
        assert all(pages > 0 for _, _, pages, _ in runs)
        # The first round of an outlet is its baseline, as a first crawl is.
        outbox = conn.execute("SELECT status, count(*) FROM alert_outbox GROUP BY 1").fetchall()
        single_outbox = conn.execute(
            "SELECT status, count(*) FROM single.alert_outbox GROUP BY 1").fetchall()
        assert outbox == single_outbox and outbox[0][0] == "baseline"

    text = rasad("status", "--redis", redis_url, "--config", str(MIRROR_CONFIG)).stdout
    assert "maseer" in text and "round    1 done" in text and "workers: 0 alive, 2 seen" in text
    assert "writer: not running" in text
    as_json = json.loads(rasad("status", "--redis", redis_url, "--config", str(MIRROR_CONFIG),
                               "--json").stdout)
    assert as_json["writer"]["articles"] == status["writer"]["articles"]
    assert [o["state"] for o in as_json["outlets"]] == ["done"] * 3


@pytest.mark.e2e  # real crawls or rasad subprocesses
def test_politeness_is_global_and_another_config_is_refused(
        tmp_path: Path, mirror: object, redisd: RedisServer) -> None:
    redis_url = url(redisd, 2)
    writer = start_writer(mirror, redis_url, tmp_path / "p.db")
    mirror.reset_log()  # type: ignore[attr-defined]
    slow = ["--outlet", "maseer", "--delay", "0.25"]
    workers = [spawn(*worker_args(mirror, redis_url, *slow)) for _ in range(2)]
    second = spawn("ingest", "--redis", redis_url, "--db", str(tmp_path / "second.db"),
                   log=tmp_path / "second.log")
    wait_written(redis_url, MIRROR_CONFIG, lambda s: s["writer"]["articles"] >= 3)
    other = rasad(*worker_args(mirror, redis_url, "--outlet", "maseer", "--delay", "0"),
                  check=False)
    assert other.returncode == 2  # a configuration error: nothing done
    assert other.stderr.count("\n") == 1 and "outlet maseer" in other.stderr \
        and "differs from the one of the crawl running" in other.stderr
    results = [finished(w) for w in workers]
    assert all(rows[0]["requests"] > 0 for rows in results)  # both fetched
    times = sorted(r["received"] for r in mirror.requests  # type: ignore[attr-defined]
                   if r["outlet"] == "maseer")
    # Starts are 0.25 s apart on Redis's clock for both workers together (each on its own
    # would give 0.125 s, so 4 gaps 0.5 s); arrival times jitter with the load (one late
    # arrival shortens the next span), so look at spans of 4 gaps with room for that jitter.
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    spans = [b - a for a, b in zip(times, times[4:], strict=False)]
    assert len(times) > 20 and statistics.median(gaps) > 0.23 and min(spans) > 0.75, gaps
    stop_writer(writer)
    second.communicate(timeout=30)  # one writer per Redis: the second one gave up
    assert second.returncode == 2
    assert "another writer" in (tmp_path / "second.log").read_text()


@pytest.mark.e2e  # real crawls or rasad subprocesses
def test_a_worker_needs_a_writer_first(mirror: object, redisd: RedisServer) -> None:
    redis_url = url(redisd, 3)
    proc = rasad(*worker_args(mirror, redis_url), check=False)
    assert proc.returncode == 2 and "start `rasad ingest --redis" in proc.stderr
    bad = rasad(*worker_args(mirror, "redis://127.0.0.1:1/0"), check=False)
    assert bad.returncode == 2 and "cannot reach Redis" in bad.stderr
    assert "Traceback" not in proc.stderr + bad.stderr


def test_leases_go_back_when_a_worker_stops_beating(redisd: RedisServer) -> None:
    client = keys.connect(url(redisd, 4))
    a, b = Frontier(client, "maseer", "a"), Frontier(client, "maseer", "b")
    assert a.begin_round("t0", "fp") == "started" and b.begin_round("t0", "fp") == "joined"
    assert Frontier(client, "maseer", "c").begin_round("t0", "other") == "refused"
    for n in range(3):
        a.push(f"request {n}".encode(), -n)
    client.set(keys.worker_key("a"), "{}", px=200)
    taken = a.pop()
    assert taken is not None and taken[1] == b"request 2"  # the highest priority first
    assert a.depth() == (2, 1) and a.mine() == 1
    assert a.finish_round("t1") == 0  # queued and leased work: not over
    a.push(b"redirected", 0, release=taken[0])  # a redirect replaces its lease at once
    assert a.depth() == (3, 0)
    token, data = a.pop()  # type: ignore[misc]
    assert b.requeue_dead() == 0  # a is alive
    time.sleep(0.3)  # a's heartbeat key lapses: its lease goes back
    assert b.requeue_dead() == 1 and b.depth() == (3, 0)
    while (got := b.pop()) is not None:
        b.release(got[0])
    assert b.finish_round("t2") == 1 and a.finish_round("t2") == 2
    assert [e[1][b"kind"] for e in client.xrange(keys.STREAM)] == [b"run_start", b"run_end"]
    assert a.begin_round("t3", "other") == "started" and a.round_id == "2"  # a new round


@pytest.mark.e2e  # real crawls or rasad subprocesses
def test_a_redelivered_article_is_stored_once_and_junk_is_skipped(
        tmp_path: Path, redisd: RedisServer) -> None:
    from crawler.cluster.stream import ArticleMessage
    from storage.record import Article

    redis_url = url(redisd, 5)
    client = keys.connect(redis_url)
    article = Article(url="http://127.0.0.1:1/archives/7", canonical_url="", outlet="maseer",
                      title="عنوان", body="فقرة أولى من نص المقال.\nفقرة ثانية.")
    message = ArticleMessage("maseer", "1", article, "http://127.0.0.1:1/archives/7",
                             "http://127.0.0.1:1/archives/7", [], None)
    client.xadd(keys.STREAM, message.fields("w"))
    client.xadd(keys.STREAM, {"kind": "article", "outlet": "maseer", "data": "{not json"})
    client.xadd(keys.STREAM, message.fields("w"))  # a worker died after pushing it: again
    db = tmp_path / "s.db"
    out = rasad("ingest", "--redis", redis_url, "--db", str(db), "--drain").stdout
    assert "ingest: 2 articles (duplicate 1  new 1)" in out
    assert "1 unreadable entries skipped" in out and client.xlen(keys.STREAM) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    assert client.hget(keys.known("maseer"), "http://127.0.0.1:1/archives/7") is not None


def test_requests_survive_the_shared_queue() -> None:
    import scrapy
    from scrapy.utils.request import request_from_dict

    from crawler.cluster import serializer

    class Probe(scrapy.Spider):
        name = "probe"

        def parse_article(self, response: object) -> None: ...

    spider = Probe()
    request = scrapy.Request("https://example.org/ar/?p=1", callback=spider.parse_article,
                             headers={"If-None-Match": '"x"'}, body=b"\x00\xff", priority=3,
                             meta={"rasad_kind": "article",
                                   "rasad_children": [("u", "feed", None)]})
    back = request_from_dict(serializer.loads(serializer.dumps(request.to_dict(spider=spider))),
                             spider=spider)
    assert (back.url, back.body, back.priority, back.callback) == \
        (request.url, request.body, 3, spider.parse_article)
    assert back.headers.getlist("If-None-Match") == [b'"x"']
    assert back.meta == {"rasad_kind": "article", "rasad_children": [["u", "feed", None]]}
    with pytest.raises(TypeError, match="cannot put object"):
        serializer.dumps({"meta": object()})
