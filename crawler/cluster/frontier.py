"""One outlet's shared frontier: scrapy-redis's queue and duplicate filter, plus leases so that a
request a worker took is not lost when that worker dies, and crawl rounds so that every worker
knows when the crawl is over.

- A request taken from the queue is moved, in the same Lua script, to the outlet's in-flight
  hash under a lease token naming the worker. It leaves it once every output of its callback
  has been handled: each request it led to queued, each article pushed to the stream (not
  merely handed to Scrapy, which queues them: worker.LeaseRelease counts them back); when its
  errback ran; or when it was turned into another request (a redirect, a retry: that one is
  queued and the old lease dropped in the same script).
- Marking a request seen (the shared duplicate filter) and queueing it is one Lua script: a
  worker that dies between the two cannot leave a request that is seen but in no queue (every
  later link to it would be filtered: the page would be lost for the round).
- A worker beats every second (`rasad:worker:<id>`, expiring after RASAD_WORKER_TTL); the
  leases of a worker whose key expired go back to the queue (any worker does it, regularly and
  whenever it is idle). Fetching a page twice is harmless: the writer deduplicates.
- A round is one crawl pass of the outlet. The first worker to find no round running starts one
  (clearing the duplicate filter of the last round) and seeds the entry points; the others join.
  A worker's crawl ends when the queue is empty and no lease is held; the first to see it marks
  the round done and tells the writer, in the same script.
- The client sends a command again when the connection dropped before its reply came
  (keys.connect), though Redis may have run it: a Redis shutting down runs a command, then
  closes the connection. So each script is harmless to run twice: a pop whose lease token is
  already in flight returns that request instead of taking another one (the first would be
  neither queued nor leased: lost for the round), and a round start met again by the worker
  that started it still says "started" (it would join, and nobody seed the entry points). A
  queueing run twice says "filtered" the second time (the request is queued once: only a log
  line and a count are off), and a stats flush run twice counts twice (figures only)."""
from __future__ import annotations

import hashlib
import logging
from typing import Any

import redis
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.cluster import keys
from crawler.links.urls import canonical

_POP = """
local held = redis.call('HGET', KEYS[2], ARGV[2])
if held then return held end
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], ARGV[2], r[1])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[1] .. '|' .. r[2])
return r[1]
"""
# KEYS: dupefilter, requests, inflight, owners
# ARGV: fingerprint ('' = not filtered), encoded request, score, lease it replaces ('' = none)
_ENQUEUE = """
if ARGV[4] ~= '' then
  redis.call('HDEL', KEYS[3], ARGV[4])
  redis.call('HDEL', KEYS[4], ARGV[4])
end
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
"""
# KEYS: requests, inflight, owners, politeness slot holders
# ARGV[1]: the worker whose leases to return ('' = every worker whose heartbeat key is gone).
# Its politeness slots go too (holders "<worker>/<n>"), or a killed worker would hold the
# outlet's concurrency for DOWNLOAD_TIMEOUT + 30 s.
_REQUEUE = """
local function gone(wid)
  if ARGV[1] ~= '' then return wid == ARGV[1] end
  return redis.call('EXISTS', ARGV[2] .. wid) == 0
end
for _, holder in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  local wid = string.match(holder, '^(.*)/[0-9]+$')
  if wid and gone(wid) then redis.call('ZREM', KEYS[4], holder) end
end
local owners = redis.call('HGETALL', KEYS[3])
local n = 0
for i = 1, #owners, 2 do
  local token, value = owners[i], owners[i + 1]
  local sep = string.find(value, '|', 1, true)
  local wid, score = string.sub(value, 1, sep - 1), string.sub(value, sep + 1)
  if gone(wid) then
    local data = redis.call('HGET', KEYS[2], token)
    if data then redis.call('ZADD', KEYS[1], score, data) end
    redis.call('HDEL', KEYS[2], token)
    redis.call('HDEL', KEYS[3], token)
    n = n + 1
  end
end
return n
"""
# KEYS: requests, inflight, round, round seq, dupefilter, stream, config, failed
# ARGV: now, worker, outlet, config fingerprint
_BEGIN = """
if redis.call('HGET', KEYS[3], 'state') == 'running' then
  local id = redis.call('HGET', KEYS[3], 'id')
  if redis.call('GET', KEYS[7]) ~= ARGV[4] then return {2, id} end
  if redis.call('HGET', KEYS[3], 'by') == ARGV[2] then return {1, id} end
  return {0, id}
end
redis.call('SET', KEYS[7], ARGV[4])
local id = redis.call('INCR', KEYS[4])
redis.call('DEL', KEYS[5], KEYS[8])
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[3], 'id', id, 'state', 'running', 'started', ARGV[1], 'by', ARGV[2])
redis.call('XADD', KEYS[6], '*', 'kind', 'run_start', 'outlet', ARGV[3], 'round', id,
           'started', ARGV[1], 'by', ARGV[2])
return {1, tostring(id)}
"""
# KEYS: requests, inflight, round, stream. ARGV: now, worker, outlet
_FINISH = """
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('HLEN', KEYS[2]) > 0 then return 0 end
if redis.call('HGET', KEYS[3], 'state') ~= 'running' then return 2 end
redis.call('HSET', KEYS[3], 'state', 'done', 'finished', ARGV[1])
redis.call('XADD', KEYS[4], '*', 'kind', 'run_end', 'outlet', ARGV[3],
           'round', redis.call('HGET', KEYS[3], 'id'), 'finished', ARGV[1], 'by', ARGV[2])
return 1
"""


class Frontier:
    """One worker's handle on one outlet's shared queue, leases and rounds."""

    def __init__(self, server: redis.Redis, outlet: str, worker_id: str) -> None:
        self.server = server
        self.keys = keys.OutletKeys(outlet)
        self.worker_id = worker_id
        self.round_id: str | None = None
        self._serial = 0
        # lease → outputs of its response handed to Scrapy and not yet handled (queued/pushed)
        self._outputs: dict[str, int] = {}
        self._ended: set[str] = set()  # leases whose callback returned, outputs still pending
        self._pop = server.register_script(_POP)
        self._enqueue = server.register_script(_ENQUEUE)
        self._requeue = server.register_script(_REQUEUE)
        self._begin = server.register_script(_BEGIN)
        self._finish = server.register_script(_FINISH)

    # --- requests ----------------------------------------------------------------------------
    def pop(self) -> tuple[str, bytes] | None:
        """The next request (encoded) and its lease token, or None when the queue is empty."""
        self._serial += 1
        token = f"{self.worker_id}#{self._serial}"
        k = self.keys
        data = self._pop(keys=[k.requests, k.inflight, k.owners], args=[self.worker_id, token])
        return (token, data) if data else None

    def enqueue(self, data: bytes, score: float, fingerprint: str = "",
                release: str | None = None) -> bool:
        """Queue an encoded request unless its `fingerprint` is in the duplicate filter (it is
        added in the same step; "" = not filtered); `release`: the lease it replaces (a
        redirect, a retry), ended either way. False when filtered."""
        k = self.keys
        return bool(self._enqueue(keys=[k.dupefilter, k.requests, k.inflight, k.owners],
                                  args=[fingerprint, data, score, release or ""]))

    def push(self, data: bytes, score: float, release: str | None = None) -> None:
        """Queue an encoded request, unfiltered; `release`: the lease it replaces."""
        self.enqueue(data, score, "", release)

    def release(self, token: str) -> None:
        pipe = self.server.pipeline(transaction=True)
        pipe.hdel(self.keys.inflight, token).hdel(self.keys.owners, token)
        pipe.execute()

    # --- a response's outputs: its lease ends when the last one is handled -----------------
    def expect_output(self, token: str) -> None:
        self._outputs[token] = self._outputs.get(token, 0) + 1

    def output_handled(self, token: str) -> None:
        left = self._outputs.get(token, 0) - 1
        if left > 0:
            self._outputs[token] = left
            return
        self._outputs.pop(token, None)
        if token in self._ended:
            self._ended.discard(token)
            self.release(token)

    def outputs_ended(self, token: str) -> None:
        """The callback returned: release now, or when its last output is handled."""
        if self._outputs.get(token):
            self._ended.add(token)
        else:
            self._outputs.pop(token, None)
            self.release(token)

    def gave_up(self, url: str, tries: int, error: str) -> None:
        """Record a request that failed every attempt of this round (`rasad status` shows
        them; the next round tries again)."""
        self.server.hset(self.keys.failed, url, f"{tries} {error}")

    def requeue_dead(self) -> int:
        """Return the leases of workers that stopped beating to the queue."""
        return self._requeue(keys=self._lease_keys(), args=["", f"{keys.PREFIX}:worker:"])

    def requeue_mine(self) -> int:
        """Return this worker's leases to the queue (it is closing, or idle with a lease left)."""
        return self._requeue(keys=self._lease_keys(), args=[self.worker_id, ""])

    def _lease_keys(self) -> list[str]:
        return [self.keys.requests, self.keys.inflight, self.keys.owners,
                self.keys.polite_holders]

    def mine(self) -> int:
        prefix = f"{self.worker_id}|".encode()
        return sum(1 for v in self.server.hvals(self.keys.owners) if v.startswith(prefix))

    def depth(self) -> tuple[int, int]:
        """(queued, in flight) requests."""
        pipe = self.server.pipeline(transaction=False)
        pipe.zcard(self.keys.requests).hlen(self.keys.inflight)
        queued, inflight = pipe.execute()
        return queued, inflight

    # --- rounds ------------------------------------------------------------------------------
    def begin_round(self, now: str, config_fp: str) -> str:
        """Join the running round ("joined"), or start one ("started": this worker seeds the
        entry points); "refused" when the running round uses another config of the outlet.
        Called once per outlet by a worker (spiders/worker.py): a running round started `by`
        this worker is this very call, run twice (a lost reply), and still "started"."""
        k = self.keys
        verdict, round_id = self._begin(
            keys=[k.requests, k.inflight, k.round, k.round_seq, k.dupefilter, keys.STREAM,
                  k.config, k.failed],
            args=[now, self.worker_id, k.outlet, config_fp])
        self.round_id = keys.text(round_id)
        return ("joined", "started", "refused")[int(verdict)]

    def finish_round(self, now: str) -> int:
        """0: work remains (queued or leased); 1: this call ended the round; 2: already over."""
        k = self.keys
        return int(self._finish(keys=[k.requests, k.inflight, k.round, keys.STREAM],
                                args=[now, self.worker_id, k.outlet]))

    def add_stats(self, deltas: dict[str, float]) -> None:
        if not deltas or self.round_id is None:
            return
        pipe = self.server.pipeline(transaction=False)
        key = self.keys.stats(self.round_id)
        for name, value in deltas.items():
            pipe.hincrbyfloat(key, name, value)
        pipe.expire(key, 30 * 86400)
        pipe.execute()


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler (shared priority queue, shared duplicate filter) taking requests
    under a lease. Settings: those of scrapy-redis; the worker sets the keys per outlet."""

    def open(self, spider: Any) -> None:
        self.frontier: Frontier = spider.frontier
        # scrapy-redis made its own clients (queue, duplicate filter) without the retries that
        # ride out a Redis restart (keys.connect): use the frontier's for everything.
        self.server = self.frontier.server
        super().open(spider)
        self.df.server = self.server

    def close(self, reason: str) -> None:
        # The queue and the duplicate filter are shared: never flushed by one worker. Requests
        # this worker still held (a shutdown mid-crawl) go back for the others.
        self.frontier.requeue_mine()

    def enqueue_request(self, request: Any) -> bool:
        replaced = request.meta.pop("rasad_lease", None)  # a redirect or retry of a leased one
        parent = request.meta.pop("rasad_parent", None)  # the response that led to it
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        try:
            queued = self.frontier.enqueue(self.queue._encode_request(request),
                                           -request.priority, fingerprint, replaced)
        except redis.RedisError as exc:
            # Retried for ~30 s already (keys.connect). Stop this worker loudly rather than
            # drop the request: its lease stays and goes back to the queue once its heartbeat
            # lapses.
            redis_lost(self.spider, exc)
            return False
        if parent:
            self.frontier.output_handled(parent)
        if not queued:
            self.df.log(request, self.spider)
        elif self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return queued

    def next_request(self) -> Any:
        taken = self.frontier.pop()
        if taken is None:
            return None
        token, data = taken
        request = self.queue._decode_request(data)
        request.meta["rasad_lease"] = token
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


def redis_lost(spider: Any, exc: BaseException) -> None:
    """Redis stayed unreachable past the retries: close the worker's crawl of this outlet
    (finish reason `redis_unreachable`, exit status 1) instead of carrying on without it."""
    from scrapy.utils.defer import deferred_from_coro

    logging.getLogger(__name__).error("%s: Redis unreachable, stopping: %s", spider.name, exc)
    spider.crawler.stats.set_value("rasad/cluster/redis_lost", 1)
    engine = spider.crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason="redis_unreachable"))


class ArticleDupeFilter(RFPDupeFilter):
    """scrapy-redis's shared duplicate filter, keyed for article pages by the article's
    canonical URL (the outlet's url_rules), as the single-process spider's `scheduled` set is:
    two workers reaching one article by two URL shapes fetch it once."""

    outlet: Any = None

    @classmethod
    def from_spider(cls, spider: Any) -> ArticleDupeFilter:
        dupefilter = super().from_spider(spider)
        dupefilter.outlet = spider.outlet
        return dupefilter

    def request_fingerprint(self, request: Any) -> str:
        if self.outlet is not None and request.meta.get("rasad_kind") == "article":
            key = canonical(request.url, self.outlet.url_rules)
            return hashlib.sha1(f"article {key}".encode()).hexdigest()
        return super().request_fingerprint(request)
