-- Deduplication (issue 4): stories across outlets, exact and near-duplicate keys, text versions,
-- and what the revisit policy needs to know about each article.
-- story_id: the id of the first stored article of the story (itself for an original).
ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES articles(id);
-- Hash of the normalised body tokens (storage.fingerprint.content_hash); NULL until indexed.
ALTER TABLE articles ADD COLUMN content_hash TEXT;
-- MinHash signature of the body's word bigrams (128 x uint32); NULL for a body too short to judge.
ALTER TABLE articles ADD COLUMN fingerprint BLOB;
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- When the stored text last changed (NULL: never changed since first stored).
ALTER TABLE articles ADD COLUMN updated TEXT;
-- When the page was last fetched and compared, and the newest source date (sitemap lastmod,
-- feed date) a revisit was made for: the spider refetches only when a source date is newer.
ALTER TABLE articles ADD COLUMN last_fetched TEXT;
ALTER TABLE articles ADD COLUMN source_modified TEXT;
UPDATE articles SET story_id = id, last_fetched = last_seen;
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_content_hash ON articles(content_hash);
-- Articles stored before this migration, still to be hashed and fingerprinted (a partial index:
-- finding them never scans the table).
CREATE INDEX articles_unhashed ON articles(id) WHERE content_hash IS NULL;
-- LSH bands of each article's fingerprint: a lookup per band finds near-duplicate candidates.
-- (No index by article: an update deletes its old rows by key, recomputed from the old fingerprint.)
CREATE TABLE article_bands (
    band_key INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
-- Every text an article has had, once it has had more than one: version 1 is the text first
-- stored, each later row a change seen by a refetch, with how much changed.
CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    seen TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    changed REAL NOT NULL DEFAULT 0,
    words_added INTEGER NOT NULL DEFAULT 0,
    words_removed INTEGER NOT NULL DEFAULT 0,
    material INTEGER NOT NULL DEFAULT 0,
    run_id INTEGER REFERENCES crawl_runs(id),
    UNIQUE (article_id, version)
);
