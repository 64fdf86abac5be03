"""Scrapy settings for rasad (scrapy.cfg points here). rasad's own settings start with RASAD_.

The one module that reads the environment (with the CLI, whose options pass the same knobs as
settings): every other module gets its configuration as a Scrapy setting (`from_crawler`) or a
constructor argument."""
from __future__ import annotations

import os


def _on(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() not in ("", "0", "false", "no", "off")


def secret(name: str) -> str | None:
    """The value of the environment variable an alert channel names for a secret (read when a
    message is sent, never stored or logged), or None when it is unset or empty."""
    return os.environ.get(name) or None


BOT_NAME = "rasad"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
SPIDER_LOADER_CLASS = "spiders.outlets.OutletSpiderLoader"  # adds one spider per outlet

# Where outlets come from and where articles go. The CLI sets these; `scrapy crawl` reads the
# environment (RASAD_CONFIG, RASAD_DB, RASAD_ORIGINS="id=url,id=url").
RASAD_CONFIG = os.environ.get("RASAD_CONFIG", "")
RASAD_DB = os.environ.get("RASAD_DB", "rasad.db")
RASAD_ORIGINS = os.environ.get("RASAD_ORIGINS", "")
# Share of words (0-1) from which a changed article is a material update (storage/versions.py).
RASAD_MATERIAL_CHANGE = os.environ.get("RASAD_MATERIAL_CHANGE", "")
# Where a crawl remembers which topic and alert files passed its check, so that unchanged ones
# are not checked and compiled again before every crawl (crawler/config/validated.py).
RASAD_CACHE_DIR = os.environ.get("RASAD_CACHE_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "rasad")
# Worker processes for extraction and the store's CPU work (crawler/components/workers.py):
# empty = one per core, 0 = none (all in the crawl process).
RASAD_WORKERS = os.environ.get("RASAD_WORKERS", "")
# Articles per write transaction of a crawl (storage/batch.py; also committed 0.25 s after a
# batch began and when an outlet's crawl closes); empty = 32, 1 = one transaction per article.
RASAD_WRITE_BATCH = os.environ.get("RASAD_WRITE_BATCH", "")
# Topic rules and alert channels of the topic listener (`--topics`, `--alerts`; empty: the
# files in config/), and whether an outlet's first crawl alerts too (`--alert-backfill`).
RASAD_TOPICS = os.environ.get("RASAD_TOPICS", "")
RASAD_ALERTS = os.environ.get("RASAD_ALERTS", "")
RASAD_ALERT_BACKFILL = _on("RASAD_ALERT_BACKFILL", "0")
# Where `rasad serve` is reached (http://host:port): alerts then link to the article page there.
RASAD_VIEW_URL = os.environ.get("RASAD_VIEW_URL", "")
# Progress display (crawler/components/progress.py): auto, tty, lines or off; seconds between
# lines (empty: 0.5 on a terminal, 10 otherwise).
RASAD_PROGRESS = os.environ.get("RASAD_PROGRESS", "auto")
RASAD_PROGRESS_INTERVAL = os.environ.get("RASAD_PROGRESS_INTERVAL", "")
# Worker mode (crawler/cluster/): seconds after its last heartbeat that a worker counts as dead
# and its leased requests go back to the shared queue (longer than any page's extraction).
RASAD_WORKER_TTL = float(os.environ.get("RASAD_WORKER_TTL", "10"))
# Worker mode: attempts (each with Scrapy's RETRY_TIMES retries) at a request whose download
# failed (network error, timeout, 5xx/429) before it counts as failed for the round.
RASAD_WORKER_ATTEMPTS = int(os.environ.get("RASAD_WORKER_ATTEMPTS", "3"))

# Politeness. Per-outlet delay and concurrency come from the outlet config (spider settings).
ROBOTSTXT_OBEY = True
USER_AGENT = os.environ.get(
    "RASAD_USER_AGENT",
    "rasad/0.1 (Arabic news monitoring; +https://github.com/rasad-monitor/rasad)",
)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 30.0
CONCURRENT_REQUESTS = 16
COOKIES_ENABLED = False
# Scrapy's base list without the cookies middleware, whose module imports tldextract and
# requests (~40 ms of every crawl's start): Scrapy imports every class named here, even one set
# to None, to normalise the names. Written out (importing Scrapy's defaults would load Scrapy in
# every `rasad` command); tests/test_guard.py checks it against Scrapy's own list.
_MW = "scrapy.downloadermiddlewares."
DOWNLOADER_MIDDLEWARES_BASE = {
    f"{_MW}offsite.OffsiteMiddleware": 50, f"{_MW}robotstxt.RobotsTxtMiddleware": 100,
    f"{_MW}httpauth.HttpAuthMiddleware": 300,
    f"{_MW}downloadtimeout.DownloadTimeoutMiddleware": 350,
    f"{_MW}defaultheaders.DefaultHeadersMiddleware": 400,
    f"{_MW}useragent.UserAgentMiddleware": 500, f"{_MW}retry.RetryMiddleware": 550,
    f"{_MW}redirect.MetaRefreshMiddleware": 580,
    f"{_MW}httpcompression.HttpCompressionMiddleware": 590,
    f"{_MW}redirect.RedirectMiddleware": 600, f"{_MW}httpproxy.HttpProxyMiddleware": 750,
    f"{_MW}stats.DownloaderStats": 850, f"{_MW}httpcache.HttpCacheMiddleware": 900,
}
TELNETCONSOLE_ENABLED = False
# Scrapy's in-memory stats without its per-call deprecation hook (crawler/components/stats.py).
STATS_CLASS = "crawler.components.stats.Stats"

# Bounded work per response; only web schemes.
# Seconds for one whole download (a server that hangs or drips a byte at a time is cut off).
DOWNLOAD_TIMEOUT = float(os.environ.get("RASAD_DOWNLOAD_TIMEOUT") or 30)
# Seconds a write to the store waits for another process's lock before it fails (storage/db.py).
RASAD_BUSY_TIMEOUT = float(os.environ.get("RASAD_BUSY_TIMEOUT") or 30)
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
# A crawl process that grows past this is closed (`memusage_exceeded`) rather than taking the
# machine down; a normal crawl stays near 150 MB, the fault suite's bombs near 140 MB.
MEMUSAGE_LIMIT_MB = 2048
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_HANDLERS = {
    "file": None, "data": None, "s3": None, "ftp": None,
    # Scrapy's HTTP/1.1 handler, plus RASAD_CONNECT_TO (crawler/components/connect_to.py).
    "http": "crawler.components.connect_to.ConnectToDownloadHandler",
    "https": "crawler.components.connect_to.ConnectToDownloadHandler",
}
# "https://maseer.net=http://127.0.0.1:8702,…": fetch those origins from those addresses, keeping
# the real URLs (make demo: the offline mirror stands in for the outlets).
RASAD_CONNECT_TO = os.environ.get("RASAD_CONNECT_TO", "")
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
METAREFRESH_ENABLED = False

ITEM_PIPELINES = {"crawler.components.pipelines.StorePipeline": 300}
# What runs inside each article's write transaction (storage.articles.ArticleListener), in order.
RASAD_STORE_LISTENERS = {
    "storage.search.SearchListener": 100,
    "crawler.alerts.listener.TopicListener": 200,
}
# Only the Scrapy extensions rasad uses (README "Failure modes"): stats, log counts, the periodic
# log line, memory use, AutoThrottle, CLOSESPIDER_* limits and feed export (`scrapy crawl -O`).
# Not the remote-control HTTP endpoint (on by default in Scrapy 2.19) nor the telnet console:
# a long-running `rasad run` listens on no port. Nor MemoryDebugger or SpiderState (no JOBDIR).
EXTENSIONS_BASE = {
    "scrapy.extensions.corestats.CoreStats": 0,
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.logstats.LogStats": 0,
    "scrapy.extensions.memusage.MemoryUsage": 0,
    "scrapy.extensions.closespider.CloseSpider": 0,
    "scrapy.extensions.feedexport.FeedExporter": 0,
    "scrapy.extensions.throttle.AutoThrottle": 0,
}
EXTENSIONS = {
    "crawler.components.runs.RunRecord": 100,
    "crawler.components.progress.Progress": 200,
}
# Incremental crawls (crawler/components/incremental.py); RASAD_CONDITIONAL=0 reads every page
# again.
RASAD_CONDITIONAL = _on("RASAD_CONDITIONAL", "1")
DOWNLOADER_MIDDLEWARES = {
    # Every request and redirect hop: the outlet's own origins and public addresses only
    # (crawler/guard/); it replaces Scrapy's host-only off-site filter, and runs before the
    # robots.txt middleware so that no robots.txt is fetched for a refused origin.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.guard.middleware.RequestGuard": 50,
    "crawler.components.incremental.ConditionalRequests": 540,  # 540: sees final responses
    # No outlet has a login, and Scrapy asks every request for one.
    f"{_MW}httpauth.HttpAuthMiddleware": None,
}
# Checks the address each connection really uses (DNS rebinding), see crawler/guard/resolver.py.
TWISTED_DNS_RESOLVER = "crawler.guard.resolver.GuardedResolver"
# Every spider middleware wraps each response's output in another async generator; these three
# do nothing rasad uses: Referer headers, depth stats (no DEPTH_LIMIT), a developer warning about
# copied meta keys. Kept: start requests, HTTP errors (304s let through by incremental.py), URL
# length. ~0.3 ms of the crawl process's CPU per response.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
    "crawler.components.incremental.FollowedEntryPoints": 600,
    "crawler.components.canary.Canary": 610,
}

LOG_LEVEL = os.environ.get("RASAD_LOG_LEVEL", "INFO")
# Scrapy re-reads a generator callback's source on every response to warn about `return value`
# (its cache is keyed by the short-lived bound method): 5% of a crawl's CPU. ruff checks ours.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy starts CONCURRENT_ITEMS (default 100) asyncio tasks for the output of EVERY response;
# rasad's pipeline is synchronous, so one is as fast and saves ~1 ms of CPU per page.
CONCURRENT_ITEMS = 1
# Response bytes Scrapy's scraper holds before the downloader pauses (default 5 MB per outlet):
# each held page waits, with its chain of suspended callbacks, for a worker slot. 1 MB (~40 mirror
# pages per outlet, against 2 in flight per worker) keeps the workers fed; 5 MB filled up over a
# long crawl and was most of the growth of its memory (peak RSS 143 → 119 MB at 1,103 articles).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
FEED_EXPORT_ENCODING = "utf-8"
# `scrapy crawl X -O out.csv|.json|.jsonl`: one flat column per field (crawler/components/feeds.py).
FEED_EXPORTERS = {
    "csv": "crawler.components.feeds.FlatCsvItemExporter",
    "json": "crawler.components.feeds.FlatJsonItemExporter",
    "jsonlines": "crawler.components.feeds.FlatJsonLinesItemExporter",
    "jsonl": "crawler.components.feeds.FlatJsonLinesItemExporter",
}
