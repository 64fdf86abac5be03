-- Search index, second layout (issue 7): a contentless FTS5 table (content=''), which keeps no
-- copy of the normalised text (a third of the size; snippets come from `articles` anyway).
-- FTS5 can remove a row of a contentless table only given the exact words that were indexed, so
-- search_pending remembers, for every article whose index row is not up to date, what the index
-- holds for it: nothing (indexed = 0) or the words of the text stored in title/body (indexed = 1,
-- the text before it was changed or deleted). No row: the index matches the article's text.
DROP TRIGGER articles_search_insert;
DROP TRIGGER articles_search_update;
DROP TRIGGER articles_search_delete;
DROP TABLE articles_fts;
DROP TABLE search_pending;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, title_k, body_k, content='');
CREATE TABLE search_pending (
    article_id INTEGER PRIMARY KEY,
    indexed INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    body TEXT
);
INSERT INTO search_pending (article_id) SELECT id FROM articles;
-- key/value facts about the index: `normaliser`, the fingerprint of the Arabic normalisation the
-- index was built with (a change of it means a full rebuild).
CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- OR IGNORE keeps an existing row: it already says what the index holds.
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO search_pending (article_id) VALUES (new.id);
END;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, body ON articles
WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
    INSERT OR IGNORE INTO search_pending (article_id, indexed, title, body)
    VALUES (old.id, 1, old.title, old.body);
END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    INSERT OR IGNORE INTO search_pending (article_id, indexed, title, body)
    VALUES (old.id, 1, old.title, old.body);
END;
