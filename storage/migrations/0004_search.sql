-- Full-text search (issue 7). FTS5 cannot fold Arabic (its unicode61 tokenizer splits words at
-- harakat and keeps tatweel inside them), so rasad normalises in Python (crawler/arabic.py) and
-- stores the folded tokens here; the original text stays in `articles` for display.
-- title, body: the article's normalised words; title_k, body_k: each word's match keys (the word
-- without proclitics, long names reduced to their skeleton) — see storage/search_query.py.
-- The rowid is articles.id.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, title_k, body_k);
-- Articles whose FTS row is missing or out of date. Triggers fill it for every writer (also
-- one that bypasses the indexing listener); the indexer empties it in the article's transaction.
CREATE TABLE search_pending (article_id INTEGER PRIMARY KEY);
-- A store that predates this migration: every article still needs indexing.
INSERT INTO search_pending (article_id) SELECT id FROM articles;
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN INSERT OR IGNORE INTO search_pending (article_id) VALUES (new.id); END;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, body ON articles BEGIN INSERT OR IGNORE INTO search_pending (article_id) VALUES (new.id); END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN DELETE FROM articles_fts WHERE rowid = old.id; DELETE FROM search_pending WHERE article_id = old.id; END;
