"""The worker pool (crawler/components/workers.py): a crawl with extraction and the store's CPU
work in worker processes, its articles written in batches (storage/batch.py), stores exactly what
a crawl done all in one process, one transaction per article, stores."""
from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from crawler.components import workers
from crawler.config.outlets import Config, load_config
from crawler.dev.mirror import iter_pages
from crawler.links.urls import canonical
from tests.conftest import MIRROR_CONFIG, crawl_mirror, rasad

# Differ between any two crawls (times, row ids, run ids); ids are compared through the
# canonical URL they name instead. Which URL shape of an article (with or without its optional
# slug) a crawl meets first depends on the order responses arrive in, in one process as in
# several: `articles.url` (as first fetched) and the aliases are compared in canonical form.
_VOLATILE = {"id", "first_seen", "last_seen", "last_fetched", "run_id", "story_id", "classified",
             "created", "article_id", "url"}


def dump(db: Path, config: Config) -> dict[str, object]:
    """Everything a crawl stored about articles, keyed by canonical URL, not by row id."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    key = dict(conn.execute("SELECT id, canonical_url FROM articles").fetchall())
    aliases = {(canonical(url, config.outlets[outlet].url_rules), key[aid])
               for url, aid, outlet in conn.execute(
                   "SELECT url, article_id, outlet FROM article_urls")}

    def rows(sql: str) -> list[dict[str, object]]:
        out = []
        for row in conn.execute(sql):
            record = {k: row[k] for k in row.keys() if k not in _VOLATILE}
            for ref in ("id", "article_id", "story_id"):
                if ref in row.keys():
                    record[f"{ref}_url"] = key.get(row[ref])
            out.append(record)
        return sorted(out, key=lambda r: json.dumps(r, sort_keys=True, default=repr))

    result = {
        "articles": rows("SELECT * FROM articles"),
        "article_urls": sorted(aliases),
        "article_topics": rows("SELECT * FROM article_topics"),
        "alert_outbox": rows("SELECT story_id, article_id, topic, channel, status "
                             "FROM alert_outbox"),
        "article_bands": rows("SELECT band_key, article_id FROM article_bands"),
        "search_pending": conn.execute("SELECT count(*) FROM search_pending").fetchone()[0],
        "fts_rows": conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0],
        "extract": sorted(
            (outlet, k, v) for outlet, stats in conn.execute("SELECT outlet, stats FROM crawl_runs")
            for k, v in json.loads(stats).items() if k.startswith("rasad/extract/")),
    }
    conn.close()
    return result


@pytest.fixture(scope="module")
def crawls(mirror: object, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    # pooled: two workers, articles batched per write transaction (the defaults); inline: all
    # in the crawl process, one transaction per article (as before either existed)
    for name, count, batch in (("pooled", "2", ""), ("inline", "0", "1")):
        db = tmp_path_factory.mktemp(name) / "rasad.db"
        crawl_mirror(mirror, db, env={"RASAD_WORKERS": count, "RASAD_WRITE_BATCH": batch,
                                      "RASAD_PROGRESS": "off"})
        out[name] = db
    return out


def test_pooled_crawl_stores_the_same_rows_as_one_process(crawls: dict[str, Path],
                                                          mirror: object) -> None:
    config = load_config(MIRROR_CONFIG, mirror.origins)  # type: ignore[attr-defined]
    pooled, inline = dump(crawls["pooled"], config), dump(crawls["inline"], config)
    assert len(pooled["articles"]) >= 80
    assert pooled["search_pending"] == 0 and pooled["fts_rows"] == len(pooled["articles"])
    assert any(r["matched"] for r in pooled["article_topics"])
    for table in pooled:
        assert pooled[table] == inline[table], table


def test_a_page_gives_the_same_result_in_a_worker_and_inline() -> None:
    pages = list(iter_pages())[:12]
    listeners = (("storage.search.SearchListener", None),
                 ("crawler.alerts.listener.TopicListener", None))
    jobs = [workers.PageJob(p.body, p.url, p.headers, None, p.outlet, "2025-01-01T00:00:00Z",
                            listeners) for p in pages]
    workers.start(2)
    try:
        async def pooled() -> list[workers.PageResult]:
            return list(await asyncio.gather(*(workers.run(j, 2) for j in jobs)))

        results = asyncio.run(pooled())
    finally:
        workers.shutdown()
    for job, result in zip(jobs, results, strict=True):
        assert result == workers.process_page(job)
    assert all(set(r.prepared) == {p for p, _ in listeners} for r in results if r.article)


def test_bad_worker_count_is_one_line() -> None:
    proc = rasad("crawl", "--db", "/nonexistent/x.db", check=False,
                 env={"RASAD_WORKERS": "many"})
    assert proc.returncode == 2
    assert "RASAD_WORKERS='many'" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_write_batch_is_one_line() -> None:
    proc = rasad("crawl", "--db", "/nonexistent/x.db", check=False,
                 env={"RASAD_WRITE_BATCH": "0"})
    assert proc.returncode == 2
    assert "RASAD_WRITE_BATCH='0'" in proc.stderr and "Traceback" not in proc.stderr
