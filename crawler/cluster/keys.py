"""Every Redis key rasad uses, in one place, and the connection from a `redis://` URL.

All keys start with `rasad:` so one Redis database can hold nothing else of ours; an outlet's
keys are `rasad:<outlet>:…`."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

PREFIX = "rasad"
STREAM = f"{PREFIX}:articles"  # workers → writer: articles and round start/end records
GROUP = "writers"  # the stream's consumer group
CONSUMER = "writer"  # one writer (a lock enforces it), so one stable consumer name
WRITER_LOCK = f"{PREFIX}:writer"
WRITER_SEEN = f"{PREFIX}:writer:seen"  # hash: last commit time, articles written
WORKERS = f"{PREFIX}:workers"  # zset: worker id → last heartbeat (unix seconds)
KNOWN_READY = f"{PREFIX}:known:ready"  # set by the writer once the stored URLs are published
RUNS = f"{PREFIX}:runs"  # hash: "<outlet>:<round>" → crawl_runs.id (the writer's)
RETRIES = 40


def worker_key(worker_id: str) -> str:
    return f"{PREFIX}:worker:{worker_id}"  # expires unless the worker keeps beating


def known(outlet: str) -> str:
    return f"{PREFIX}:known:{outlet}"  # hash: canonical URL → revisit mark (storage.articles)


class OutletKeys:
    """The keys of one outlet's shared crawl."""

    def __init__(self, outlet: str) -> None:
        base = f"{PREFIX}:{outlet}"
        self.outlet = outlet
        self.requests = f"{base}:requests"  # scrapy-redis priority queue (zset)
        self.dupefilter = f"{base}:dupefilter"  # scrapy-redis request fingerprints (set)
        self.inflight = f"{base}:inflight"  # hash: lease token → encoded request
        self.owners = f"{base}:owners"  # hash: lease token → "<worker id>|<score>"
        self.round = f"{base}:round"  # hash: id, state (running/done), started, finished, by
        self.round_seq = f"{base}:round:seq"
        self.failed = f"{base}:failed"  # hash: URL given up on this round → "<tries> <error>"
        self.config = f"{base}:config"  # fingerprint of the outlet's definition in use
        self.polite_next = f"{base}:polite:next"  # earliest start of the next request (ms)
        self.polite_holders = f"{base}:polite:holders"  # zset: slot holder → lease expiry (ms)

    def stats(self, round_id: str | int) -> str:
        return f"{PREFIX}:{self.outlet}:stats:{round_id}"  # hash: summed Scrapy stats


def connect(url: str) -> redis.Redis:
    """A client for `url` (redis://[:password@]host:port/db), checked with a PING so that a
    wrong URL is one clear error before any crawl starts."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"--redis {url!r}: expected redis://HOST:PORT/DB")
    # A Redis restart (persistence on) is ridden out: every command is retried, with backoff,
    # for about half a minute before the error reaches the caller.
    retry = Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=RETRIES)
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30,
                                  health_check_interval=30, retry=retry,
                                  retry_on_error=[redis.ConnectionError, redis.TimeoutError])
    try:  # without retries: a wrong URL is reported at once
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10).ping()
    except redis.RedisError as exc:
        raise ValueError(f"--redis {url}: cannot reach Redis ({exc})") from None
    return client


def text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
