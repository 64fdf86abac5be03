"""`rasad crawl --redis URL`: checks before a worker starts, its Scrapy settings, its run."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import redis

from crawler.cluster import keys
from crawler.config.outlets import Config, Outlet

# Worker mode swaps the components that read or write SQLite (the store, run records,
# validators and retry queue, the canary) for their Redis counterparts; every other component
# of crawler/settings.py (the request guard above all) stays as it is.
SQLITE_COMPONENTS = frozenset({
    "crawler.components.pipelines.StorePipeline", "crawler.components.runs.RunRecord",
    "crawler.components.incremental.ConditionalRequests",
    "crawler.components.incremental.FollowedEntryPoints", "crawler.components.canary.Canary",
})
SCRAPY_REDIS: dict[str, Any] = {
    "SCHEDULER": "crawler.cluster.frontier.SharedScheduler",
    "DUPEFILTER_CLASS": "crawler.cluster.frontier.ArticleDupeFilter",
    "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
    "SCHEDULER_QUEUE_KEY": f"{keys.PREFIX}:%(spider)s:requests",
    "SCHEDULER_DUPEFILTER_KEY": f"{keys.PREFIX}:%(spider)s:dupefilter",
    "SCHEDULER_SERIALIZER": "crawler.cluster.serializer",
    "SCHEDULER_PERSIST": True,  # shared: no worker may flush it
}


def worker_settings() -> dict[str, Any]:
    from crawler import settings as project

    def without_sqlite(components: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in components.items() if k not in SQLITE_COMPONENTS}

    return {
        **SCRAPY_REDIS, "RASAD_DB": "",
        "ITEM_PIPELINES": {**without_sqlite(project.ITEM_PIPELINES),
                           "crawler.cluster.worker.StreamPipeline": 300},
        "EXTENSIONS": {**without_sqlite(project.EXTENSIONS),
                       "crawler.cluster.worker.WorkerExtension": 300},
        "DOWNLOADER_MIDDLEWARES": {**without_sqlite(project.DOWNLOADER_MIDDLEWARES),
                                   "crawler.cluster.politeness.GlobalPoliteness": 960},
        "SPIDER_MIDDLEWARES": {**without_sqlite(project.SPIDER_MIDDLEWARES),
                               "crawler.cluster.worker.LeaseRelease": 1},
    }


def fingerprint(outlet: Outlet, delay: float | None) -> str:
    """What workers of one crawl must agree on: the outlet's definition (origins applied) and a
    --delay override."""
    blob = json.dumps({"outlet": outlet.model_dump(mode="json"), "delay": delay},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def preflight(server: redis.Redis, url: str, config: Config, outlets: Sequence[Outlet],
              delay: float | None) -> dict[str, str]:
    """The outlets' config fingerprints; raises ValueError (one line) when this worker must not
    start: no writer has published the stored URLs yet, or a running crawl of an outlet uses
    another definition of it."""
    if not server.exists(keys.KNOWN_READY):
        raise ValueError(f"{url}: no writer has published the store's URLs yet; start "
                         f"`rasad ingest --redis {url} --db <store>` first")
    prints = {}
    for outlet in outlets:
        fp = fingerprint(outlet, delay)
        k = keys.OutletKeys(outlet.id)
        current = server.get(k.config)
        running = server.hget(k.round, "state") == b"running"
        if running and current is not None and keys.text(current) != fp:
            by = keys.text(server.hget(k.round, "by") or b"?")
            raise ValueError(
                f"outlet {outlet.id}: this worker's config ({config.path}, fingerprint {fp}) "
                f"differs from the one of the crawl running on {url} (fingerprint "
                f"{keys.text(current)}, started by {by}); start every worker with the same "
                "config file, --origin and --delay, or wait until that crawl ends")
        prints[outlet.id] = fp
    return prints


def run(config: Config, outlet_ids: Sequence[str], url: str, worker_id: str,
        prints: Mapping[str, str], origins: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None) -> list[Any]:
    """One worker's pass over `outlet_ids` (spiders.outlets hands out the worker spiders)."""
    from scrapy.core.engine import ExecutionEngine

    from crawler.service.runner import crawl

    # An idle worker looks at the shared queue on the engine's heartbeat (5 s by default):
    # other workers fill it, so look more often.
    ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 0.5
    return crawl(config, outlet_ids, "", origins, {
        **worker_settings(), **(overrides or {}), "RASAD_REDIS_URL": url, "REDIS_URL": url,
        "RASAD_WORKER_ID": worker_id, "RASAD_CONFIG_FP": dict(prints)})
