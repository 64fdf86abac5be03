-- The walking skeleton: articles, their URL aliases, crawl runs.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    outlet TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published TEXT,
    published_source TEXT,
    author TEXT,
    language TEXT,
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    image TEXT,
    caption TEXT,
    date_flags TEXT NOT NULL DEFAULT '[]',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    run_id INTEGER REFERENCES crawl_runs(id)
);
CREATE INDEX articles_outlet_published ON articles(outlet, published);
CREATE INDEX articles_first_seen ON articles(first_seen);
CREATE TABLE article_urls (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    outlet TEXT NOT NULL,
    first_seen TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX article_urls_outlet ON article_urls(outlet);
CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    outlet TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    outcome TEXT NOT NULL DEFAULT 'running',
    reason TEXT,
    pid INTEGER,
    requests INTEGER NOT NULL DEFAULT 0,
    pages_fetched INTEGER NOT NULL DEFAULT 0,
    responses_304 INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    articles_duplicate INTEGER NOT NULL DEFAULT 0,
    extract_failures INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    errors_by_kind TEXT NOT NULL DEFAULT '{}',
    stats TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX crawl_runs_outlet_started ON crawl_runs(outlet, started);
