-- Deduplication, second step (issue 4): the two-level LSH index of storage/lsh.py.
-- article_bands now holds only the articles up to dedup_state.bands_merged_upto (the main
-- level); newer ones are each writer's in-memory delta until a bulk merge. Band keys became
-- 32-bit: the rows of 0002_dedup.sql's 64-bit keys are dropped and rebuilt from the stored
-- fingerprints by the first writer (every fingerprinted article starts in the delta).
CREATE TABLE dedup_state (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO dedup_state (name, value) VALUES ('bands_merged_upto', 0);
DELETE FROM article_bands;
-- Exact duplicates are found through the LSH candidates (an identical text shares every band):
-- one random index write less per article.
DROP INDEX IF EXISTS articles_content_hash;
