"""Crawl throughput side by side: rasad end to end (discovery, extraction, storage) against what a
user could run instead, on one generated mirror, in one run, alternated, medians of the rounds:

- ceiling: the extraction-bound rate, cores / median CPU time of what rasad's workers do per
  article page (extraction, fingerprints, the store listeners' prepare());
- bare Scrapy fetching exactly the pages rasad fetched (same settings, nothing done with them);
- trafilatura's command line over the article URLs rasad stored (`trafilatura -i`);
- a plain asyncio httpx loop over those URLs with `trafilatura.extract` in a process pool.

Each system is a child process measured the same way (crawler/dev/bench/measure.py): pages/s,
CPU seconds per 1,000 articles, peak memory, cores used. Then: an unchanged re-crawl of the
mirror (every entry point answered 304) RECRAWLS times, and rasad's peak memory on a mirror ten
times larger (RASAD_BENCH_BIG_SCALE per outlet; 0 skips it)."""
from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from crawler.dev.bench import measure
from crawler.dev.mirror import Mirror, iter_pages

ROOT = Path(__file__).resolve().parents[3]
SCALE = int(os.environ.get("RASAD_BENCH_SCALE", "340"))  # per outlet, on top of the corpus
ROUNDS = int(os.environ.get("RASAD_BENCH_ROUNDS", "3"))
BIG_SCALE = int(os.environ.get("RASAD_BENCH_BIG_SCALE", "3300"))
RECRAWLS = 5
CONCURRENCY = 8  # per site, as config/mirror.toml
CEILING_SAMPLE = 300  # article pages timed for the extraction-bound ceiling
BIN = Path(sys.executable).parent
_TRAFILATURA_CFG = """[DEFAULT]
DOWNLOAD_TIMEOUT = 30
MAX_FILE_SIZE = 20000000
MIN_FILE_SIZE = 10
SLEEP_TIME = 0
USER_AGENTS =
COOKIE =
MAX_REDIRECTS = 2
SSRF_PROTECTION = off
INSECURE_SSL_FALLBACK = on
MIN_EXTRACTED_SIZE = 250
MIN_OUTPUT_SIZE = 1
MIN_OUTPUT_COMM_SIZE = 1
MAX_TREE_SIZE =
EXTRACTION_TIMEOUT = 30
MIN_DUPLCHECK_SIZE = 100
MAX_REPETITIONS = 2
EXTENSIVE_DATE_SEARCH = on
EXTERNAL_URLS = off
"""  # its defaults, but no 5 s sleep per request and loopback allowed (the mirror)


def _origin_args(mirror: Mirror) -> list[str]:
    return [a for o, u in mirror.origins.items() for a in ("--origin", f"{o}={u}")]


def rasad_crawl(mirror: Mirror, db: Path, env: dict[str, str] | None = None) -> dict:
    m = measure.run([str(BIN / "rasad"), "crawl", "--config", str(ROOT / "config" / "mirror.toml"),
                     *_origin_args(mirror), "--db", str(db), "--json"],
                    env={"RASAD_PROGRESS": "off", **(env or {})}, cwd=ROOT)
    rows = [json.loads(line) for line in m.stdout.splitlines() if line.startswith("{")]
    return {"m": m, "pages": sum(r["pages_fetched"] for r in rows),
            "articles": sum(r["articles_new"] for r in rows),
            "not_modified": sum(r["responses_304"] for r in rows)}


def bare_scrapy(urls_file: Path) -> dict:
    m = measure.run([sys.executable, "-m", "crawler.dev.bench.bare", str(urls_file),
                     str(CONCURRENCY)], cwd=ROOT)
    stats = json.loads(m.stdout.strip().splitlines()[-1])
    return {"m": m, "pages": stats.get("response_received_count", 0)}


def trafilatura_cli(articles_file: Path, tmp: Path) -> dict:
    out = tmp / f"trafilatura-{time.monotonic_ns()}"
    cfg = tmp / "trafilatura.cfg"
    cfg.write_text(_TRAFILATURA_CFG)
    m = measure.run([str(BIN / "trafilatura"), "-i", str(articles_file), "-o", str(out),
                     "--config-file", str(cfg)], cwd=tmp)
    return {"m": m, "pages": len(articles_file.read_text().split()),
            "articles": sum(1 for _ in out.iterdir()) if out.exists() else 0}


def httpx_loop(articles_file: Path) -> dict:
    m = measure.run([sys.executable, "-m", "crawler.dev.bench.httpx_loop", str(articles_file),
                     str(CONCURRENCY)], cwd=ROOT)
    counts = json.loads(m.stdout.strip().splitlines()[-1])
    return {"m": m, "pages": counts["pages"], "articles": counts["articles"]}


def extraction_ceiling(mirror: Mirror) -> dict:
    """cores / median CPU seconds of the work rasad's workers do for one article page: what
    `crawler.components.workers.process_page` runs (extraction with the outlet's rules, the
    theme check's generic pass, the body's hash and MinHash, the store listeners' `prepare()`).
    Extraction alone is timed too (the same call, without the rest)."""
    from scrapy.settings import Settings

    from crawler import settings as rasad_settings
    from crawler.components import workers
    from crawler.components.pipelines import listener_paths
    from crawler.config.outlets import load_config
    from crawler.extract import extract_page

    config = load_config(ROOT / "config" / "mirror.toml", mirror.origins)
    settings = Settings()
    settings.setmodule(rasad_settings)
    listeners = workers.listener_jobs(listener_paths(settings), settings)
    pages = list(iter_pages(mirror.origins, scale=SCALE))
    step = max(1, len(pages) // CEILING_SAMPLE)
    work, extraction = [], []
    workers.process_page(workers.PageJob(pages[0].body, pages[0].url, pages[0].headers,
                                         None, pages[0].outlet, "", listeners))  # imports
    for page in pages[::step]:
        rules = config.outlets[page.outlet].extract
        started = time.process_time()
        extract_page(page.body, page.url, page.headers, rules, page.outlet)
        extraction.append(time.process_time() - started)
        job = workers.PageJob(page.body, page.url, page.headers, rules, page.outlet,
                              "2026-01-01T00:00:00Z", listeners)
        started = time.process_time()
        workers.process_page(job)
        work.append(time.process_time() - started)
    cores = len(os.sched_getaffinity(0))
    median = statistics.median(work)
    return {"cores": cores, "ms_per_page": median * 1000, "pages_s": cores / median,
            "extract_ms": statistics.median(extraction) * 1000, "pages": len(work)}


def _summary(runs: list[dict], articles: int) -> dict:
    def med(f):  # noqa: ANN001, ANN202
        return statistics.median(f(r) for r in runs)

    return {"pages_s": med(lambda r: r["pages"] / r["m"].wall),
            "cpu_per_1000": med(lambda r: r["m"].cpu / max(articles, 1) * 1000),
            "pss_mb": med(lambda r: r["m"].peak_pss_mb),
            "rss_mb": med(lambda r: r["m"].peak_rss_mb),
            "cores": med(lambda r: r["m"].cores),
            "wall": med(lambda r: r["m"].wall), "runs": [r["pages"] / r["m"].wall for r in runs],
            # CPU of the launched process alone and of its workers, per page fetched
            "own_ms": med(lambda r: r["m"].own_cpu / max(r["pages"], 1) * 1000),
            "workers_ms": med(lambda r: (r["m"].cpu - r["m"].own_cpu) / max(r["pages"], 1) * 1000),
            "articles": med(lambda r: r.get("articles", 0))}


def _rates(times: list[float], parts: int) -> list[float]:
    """Requests per second the mirror saw in each of `parts` equal shares of the crawl's
    requests: is the rate the same at the last article as at the first?"""
    size = len(times) // parts
    out = []
    for k in range(parts):
        chunk = times[k * size:(k + 1) * size + 1]
        span = chunk[-1] - chunk[0] if len(chunk) > 1 else 0.0
        out.append((len(chunk) - 1) / span if span > 0 else 0.0)
    return out


def run() -> dict:
    runs: dict[str, list[dict]] = {"rasad": [], "bare Scrapy": [], "trafilatura CLI": [],
                                   "httpx + pool": []}
    with Mirror(scale=SCALE, faults=False) as mirror, \
            tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mirror.reset_log()
        first_db = tmp / "rasad-0.db"
        runs["rasad"].append(rasad_crawl(mirror, first_db))
        pages_file, articles_file = tmp / "pages.txt", tmp / "articles.txt"
        pages_file.write_text("\n".join(mirror.origins[r["outlet"]] + r["path"]
                                        for r in mirror.requests if r["path"] != "/robots.txt"))
        with sqlite3.connect(first_db) as conn:
            articles_file.write_text("\n".join(u for (u,) in conn.execute(
                "SELECT url FROM articles ORDER BY id")))
        articles = runs["rasad"][0]["articles"]
        systems = {
            "rasad": lambda n: rasad_crawl(mirror, tmp / f"rasad-{n}.db"),
            "bare Scrapy": lambda n: bare_scrapy(pages_file),
            "trafilatura CLI": lambda n: trafilatura_cli(articles_file, tmp),
            "httpx + pool": lambda n: httpx_loop(articles_file),
        }
        names = list(systems)
        for n in range(ROUNDS):
            order = names[n % len(names):] + names[:n % len(names)]  # alternate who goes first
            for name in order:
                if name == "rasad" and n == 0:
                    continue  # ran above, to learn the pages
                runs[name].append(systems[name](n + 1))
        ceiling = extraction_ceiling(mirror)
        recrawls, first_request = [], []
        for _ in range(RECRAWLS):
            mirror.reset_log()
            recrawls.append(rasad_crawl(mirror, first_db))
            times = [r["time"] for r in mirror.requests]
            if times:  # launch to the first request the mirror saw
                first_request.append(min(times) - recrawls[-1]["m"].started_at)
    result = {"articles": articles, "pages": runs["rasad"][0]["pages"], "rounds": ROUNDS,
              "ceiling": ceiling, "systems": {k: _summary(v, articles) for k, v in runs.items()},
              "recrawl_wall": [r["m"].wall for r in recrawls], "first_request": first_request,
              "recrawl_304": recrawls[-1]["not_modified"],
              "recrawl_pages": recrawls[-1]["pages"]}
    if BIG_SCALE:
        with Mirror(scale=BIG_SCALE, faults=False) as big, \
                tempfile.TemporaryDirectory() as tmp_name:
            big.reset_log()
            r = rasad_crawl(big, Path(tmp_name) / "big.db")
            times = sorted(q["time"] for q in big.requests)
        result["big"] = {"articles": r["articles"], "pss_mb": r["m"].peak_pss_mb,
                         "fifths": _rates(times, 5), "cores": r["m"].cores,
                         "workers_ms": (r["m"].cpu - r["m"].own_cpu) / max(r["pages"], 1) * 1000,
                         "own_ms": r["m"].own_cpu / max(r["pages"], 1) * 1000,
                         "rss_mb": r["m"].peak_rss_mb, "pages_s": r["pages"] / r["m"].wall}
    return result


def main() -> int:
    load_before = os.getloadavg()
    r = run()
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min) at start {', '.join(f'{x:.1f}' for x in load_before)}, "
          f"at end {', '.join(f'{x:.1f}' for x in load_after)}")
    rasad, ceiling = r["systems"]["rasad"], r["ceiling"]
    print(f"mirror: {r['articles']} articles stored by rasad, {r['pages']} pages; medians of "
          f"{r['rounds']} alternated rounds; {ceiling['cores']} cores (shared machine)")
    print(f"{'system':<18}{'pages/s':>9}{'x rasad':>9}{'CPU s/1k art':>14}{'x rasad':>9}"
          f"{'peak PSS MB':>13}{'max RSS MB':>12}{'cores':>7}")
    for name, s in r["systems"].items():
        print(f"{name:<18}{s['pages_s']:9.1f}{s['pages_s'] / rasad['pages_s']:9.2f}"
              f"{s['cpu_per_1000']:14.1f}{s['cpu_per_1000'] / rasad['cpu_per_1000']:9.2f}"
              f"{s['pss_mb']:13.0f}{s['rss_mb']:12.0f}{s['cores']:7.2f}"
              f"   runs {', '.join(f'{x:.0f}' for x in s['runs'])}")
    print(f"{'extraction ceiling':<18}{ceiling['pages_s']:9.1f}"
          f"{ceiling['pages_s'] / rasad['pages_s']:9.2f}   ({ceiling['cores']} cores / "
          f"{ceiling['ms_per_page']:.2f} ms median CPU of a worker's work per article page, "
          f"{ceiling['extract_ms']:.2f} ms of it extraction; {ceiling['pages']} pages)")
    print(f"rasad CPU per page fetched: crawl process {rasad['own_ms']:.2f} ms, workers "
          f"{rasad['workers_ms']:.2f} ms (medians)")
    # The ceiling leaves out what no Scrapy crawl can skip: Scrapy's own CPU per page (bare
    # Scrapy, same pages). rasad / ceiling is at most work / (work + that), store or not.
    bare_ms = r["systems"]["bare Scrapy"]["cpu_per_1000"] * r["articles"] / max(r["pages"], 1)
    work = ceiling["ms_per_page"]
    bound = ceiling["cores"] / (work + bare_ms) * 1000
    print(f"with Scrapy's own {bare_ms:.2f} ms per page: {bound:.1f} pages/s at most (rasad "
          f"x{rasad['pages_s'] / bound:.2f}); rasad / ceiling can reach "
          f"{work / (work + bare_ms):.2f} at most")
    httpx = r["systems"]["httpx + pool"]
    print(f"rasad / ceiling {rasad['pages_s'] / ceiling['pages_s']:.2f} (target >= 0.8); "
          f"rasad / httpx + pool {rasad['pages_s'] / httpx['pages_s']:.2f} (target >= 1.2)")
    walls = r["recrawl_wall"]
    print(f"unchanged re-crawl: {r['recrawl_pages']} requests, {r['recrawl_304']} answered 304; "
          f"process wall median {statistics.median(walls):.2f} s of {len(walls)} "
          f"({', '.join(f'{w:.2f}' for w in walls)}; target < 0.7 s)")
    if r["first_request"]:
        print(f"first request {statistics.median(r['first_request']):.2f} s after launch "
              f"(median of {len(r['first_request'])}; target < 0.5 s)")
    if "big" in r:
        b = r["big"]
        pss, rss = b["pss_mb"] / rasad["pss_mb"], b["rss_mb"] / rasad["rss_mb"]
        print(f"footprint: {r['articles']} articles peak PSS {rasad['pss_mb']:.0f} MB, "
              f"max RSS {rasad['rss_mb']:.0f} MB; {b['articles']} articles peak PSS "
              f"{b['pss_mb']:.0f} MB, max RSS {b['rss_mb']:.0f} MB (x{pss:.2f} PSS, "
              f"x{rss:.2f} RSS; target within 1.10); {b['pages_s']:.0f} pages/s, crawl process "
              f"{b['own_ms']:.2f} ms and workers {b['workers_ms']:.2f} ms CPU per page, "
              f"{b['cores']:.2f} cores")
        print("  requests/s in each fifth of that crawl, first to last: "
              + ", ".join(f"{x:.0f}" for x in b["fifths"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
