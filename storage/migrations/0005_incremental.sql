-- Incremental crawling and outlet health (issue 5).
-- validators: what an entry-point URL (robots.txt, home, feed, sitemap, listing) looked like the
-- last time a crawl processed it completely, so the next crawl can ask "changed since?" and, on a
-- 304, follow again only the entry points it led to then.
CREATE TABLE validators (
    url TEXT PRIMARY KEY,
    outlet TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    listed_lastmod TEXT,
    children TEXT NOT NULL DEFAULT '[]',
    body BLOB,
    checked TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX validators_outlet ON validators(outlet);
-- retry_urls: article pages that failed (5xx, timeout, nothing extracted) and that no listing
-- will offer again once the listings answer 304; retried with backoff, then given up.
CREATE TABLE retry_urls (
    url TEXT PRIMARY KEY,
    outlet TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    not_before TEXT NOT NULL,
    error TEXT NOT NULL,
    first_failed TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX retry_urls_outlet ON retry_urls(outlet);
-- health_incidents: one row per outlet problem (failing, extraction_broken, stale) from the
-- check that first saw it until the check that saw it gone; `notified` makes alerts once-only.
CREATE TABLE health_incidents (
    id INTEGER PRIMARY KEY,
    outlet TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    opened TEXT NOT NULL,
    last_checked TEXT NOT NULL,
    closed TEXT,
    notified TEXT
);
CREATE UNIQUE INDEX health_incidents_open ON health_incidents(outlet, kind) WHERE closed IS NULL;
ALTER TABLE crawl_runs ADD COLUMN articles_updated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN article_pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN pages_with_body INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN pages_with_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN lastmod_skips INTEGER NOT NULL DEFAULT 0;
