"""What `rasad status --redis` shows: each outlet's shared crawl (round, queue depth, requests in
flight), the workers seen recently and the writer's lag."""
from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import redis

from crawler.cluster import keys

RECENT = 600.0  # seconds: "workers seen recently"


def facts(server: redis.Redis, outlet_ids: Iterable[str]) -> dict[str, Any]:
    now = time.time()
    outlets = []
    for outlet_id in outlet_ids:
        k = keys.OutletKeys(outlet_id)
        pipe = server.pipeline(transaction=False)
        pipe.zcard(k.requests).hlen(k.inflight).hgetall(k.round).hlen(k.failed)
        queued, inflight, round_, failed = pipe.execute()
        round_ = {keys.text(a): keys.text(b) for a, b in round_.items()}
        outlets.append({"outlet": outlet_id, "round": int(round_.get("id", 0) or 0),
                        "state": round_.get("state", "never"), "queued": queued,
                        "in_flight": inflight, "failed": failed, "started": round_.get("started"),
                        "finished": round_.get("finished")})
    workers = []
    for wid, seen in server.zrangebyscore(keys.WORKERS, now - RECENT, "+inf", withscores=True):
        wid = keys.text(wid)
        workers.append({"worker": wid, "seen_s_ago": round(now - seen, 1),
                        "alive": bool(server.exists(keys.worker_key(wid)))})
    return {"outlets": outlets, "workers": workers, "writer": writer_facts(server, now)}


def writer_facts(server: redis.Redis, now: float) -> dict[str, Any]:
    """Entries waiting (never delivered), pending (delivered, not yet committed and
    acknowledged), the age of the oldest one, and the writer's last commit. Acknowledged entries
    are deleted, so the stream's first entry is the oldest not yet written."""
    waiting = pending = 0
    try:
        for group in server.xinfo_groups(keys.STREAM):
            if keys.text(group["name"]) == keys.GROUP:
                pending = int(group["pending"])
                waiting = int(group.get("lag") or 0)
    except redis.ResponseError:  # no stream yet
        pass
    first = server.xrange(keys.STREAM, count=1)
    oldest = None
    if first:
        oldest = round(now - int(keys.text(first[0][0]).split("-")[0]) / 1000, 1)
    seen = {keys.text(a): keys.text(b) for a, b in server.hgetall(keys.WRITER_SEEN).items()}
    last = float(seen["last_commit"]) if "last_commit" in seen else None
    return {"holder": keys.text(server.get(keys.WRITER_LOCK) or b"") or None,
            "waiting": waiting, "pending": pending, "lag_s": oldest,
            "last_commit_s_ago": round(now - last, 1) if last else None,
            "articles": int(seen.get("articles", 0))}


def lines(f: dict[str, Any]) -> list[str]:
    out = []
    for o in f["outlets"]:
        out.append(f"{o['outlet']:<16} round {o['round']:>4} {o['state']:<8} "
                   f"queued {o['queued']:>6}  in flight {o['in_flight']:>4}"
                   + (f"  failed {o['failed']}" if o["failed"] else ""))
    alive = [w for w in f["workers"] if w["alive"]]
    out.append(f"workers: {len(alive)} alive, {len(f['workers'])} seen in the last "
               f"{int(RECENT // 60)} min")
    for w in f["workers"]:
        out.append(f"  {w['worker']:<40} {'alive' if w['alive'] else 'gone ':<5} "
                   f"seen {w['seen_s_ago']:.0f} s ago")
    w = f["writer"]
    lag = "none" if w["lag_s"] is None else f"{w['lag_s']:.0f} s"
    last = "never" if w["last_commit_s_ago"] is None else f"{w['last_commit_s_ago']:.0f} s ago"
    out.append(f"writer: {w['holder'] or 'not running'}; stream: {w['waiting']} waiting, "
               f"{w['pending']} being written; lag {lag}; last commit {last}; "
               f"{w['articles']} articles written")
    return out
