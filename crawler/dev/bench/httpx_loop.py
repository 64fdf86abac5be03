"""What a user might write instead of rasad: an asyncio httpx loop fetching a list of article
URLs (the same per-site concurrency as rasad's mirror config) with `trafilatura.extract` in a
process pool of one worker per core. No discovery, no storage, no deduplication.
`python -m crawler.dev.bench.httpx_loop URLS_FILE CONCURRENCY_PER_HOST`; prints JSON counts."""
from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx


def _extract(html: bytes, url: str) -> bool:
    import trafilatura

    return trafilatura.extract(html, url=url) is not None


async def main(urls: list[str], per_host: int) -> dict[str, int]:
    counts = {"pages": 0, "articles": 0, "errors": 0}
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    loop = asyncio.get_running_loop()
    cores = len(os.sched_getaffinity(0))
    limits = httpx.Limits(max_connections=per_host * 8, max_keepalive_connections=per_host * 8)
    with ProcessPoolExecutor(cores) as pool:
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            async def one(url: str) -> None:
                async with hosts[urlsplit(url).netloc]:
                    try:
                        response = await client.get(url)
                    except httpx.HTTPError:
                        counts["errors"] += 1
                        return
                counts["pages"] += 1
                if await loop.run_in_executor(pool, _extract, response.content, url):
                    counts["articles"] += 1

            await asyncio.gather(*(one(u) for u in urls))
    return counts


if __name__ == "__main__":
    found = asyncio.run(main(Path(sys.argv[1]).read_text().split(), int(sys.argv[2])))
    print(json.dumps(found))
