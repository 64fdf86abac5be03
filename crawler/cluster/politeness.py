"""Politeness across workers: an outlet's delay and concurrency hold for all workers together,
not per process (three workers must not hit an outlet three times as hard).

Before a request goes to the network the worker takes one of the outlet's slots in Redis: at
most `concurrency` holders at once, and starts at least `delay` seconds apart, on Redis's clock
(one clock for every machine). The slot is given back when the response or error comes back; a
slot whose holder died lapses after DOWNLOAD_TIMEOUT plus a margin. Scrapy's own per-process
delay is set to 0 in worker mode (this replaces it) and AutoThrottle is off."""
from __future__ import annotations

import itertools
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

# Returns 0 when the slot is taken, else how many ms to wait before asking again (-1: every
# slot is held). A holder already holding one is this call run twice (its reply was lost and
# the client sent it again): it has the slot, rather than wait behind itself until it lapses.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > now then return nxt - now end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3]) + 1000)
end
return 0
"""
# Seconds between asks while every slot is held: doubling from FULL_POLL up to FULL_POLL_MAX.
# Several workers' requests wait together, so a freed slot is still taken within a fraction of
# that; polling every 20 ms throughout cost each worker hundreds of Redis calls a second.
FULL_POLL = 0.02
FULL_POLL_MAX = 0.16


class GlobalPoliteness:
    """Downloader middleware (worker mode only). RASAD_REDIS_DELAY: the outlet's delay (or the
    --delay override); CONCURRENT_REQUESTS_PER_DOMAIN: its concurrency."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.delay_ms = int(crawler.settings.getfloat("RASAD_REDIS_DELAY") * 1000)
        self.concurrency = max(1, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        self.lease_ms = int((crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + 30) * 1000)
        self._ids = itertools.count(1)
        self._take = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> GlobalPoliteness:
        if not crawler.settings.get("RASAD_REDIS_URL"):
            raise NotConfigured("not a worker")
        return cls(crawler)

    def _frontier(self) -> Any:
        return self.crawler.spider.frontier

    async def process_request(self, request: Any, spider: Any = None) -> None:
        frontier = self._frontier()
        if self._take is None:
            self._take = frontier.server.register_script(_TAKE)
        k = frontier.keys
        holder = f"{frontier.worker_id}/{next(self._ids)}"
        poll = FULL_POLL
        while True:
            wait = self._take(keys=[k.polite_next, k.polite_holders],
                              args=[holder, self.concurrency, self.delay_ms, self.lease_ms])
            if wait == 0:
                break
            if wait < 0:
                seconds, poll = poll, min(poll * 2, FULL_POLL_MAX)
            else:
                seconds = wait / 1000
            self.crawler.stats.inc_value("rasad/politeness/waits")
            await maybe_deferred_to_future(deferLater(reactor, seconds))
        request.meta["rasad_slot"] = holder

    def _give_back(self, request: Any) -> None:
        holder = request.meta.pop("rasad_slot", None)
        if holder:
            frontier = self._frontier()
            frontier.server.zrem(frontier.keys.polite_holders, holder)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        self._give_back(request)
        return response

    def process_exception(self, request: Any, exception: BaseException,
                          spider: Any = None) -> None:
        self._give_back(request)
