-- Views for the web view's lists (issue 16), stable for SQL users too (README, "Database schema").
-- article_labels: per article, JSON arrays of the topics it matched and of the countries and US
-- states the gazetteers found (from article_topics, kept up to date by the triggers below), so a
-- list can show and facet them without re-reading every verdict of every row (a view computing
-- them per row took seconds per page at 20,000 articles).
CREATE TABLE article_labels (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    topics TEXT NOT NULL DEFAULT '[]',
    countries TEXT NOT NULL DEFAULT '[]',
    states TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO article_labels (article_id, topics, countries, states)
SELECT ids.article_id,
        (SELECT json_group_array(topic) FROM (SELECT topic FROM article_topics
         WHERE article_id = ids.article_id AND matched ORDER BY topic)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT c.key AS code
         FROM article_topics t, json_each(t.countries) c WHERE t.article_id = ids.article_id
         ORDER BY code)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT s.key AS code
         FROM article_topics t, json_each(t.states) s WHERE t.article_id = ids.article_id
         ORDER BY code))
FROM (SELECT DISTINCT article_id FROM article_topics) AS ids;
CREATE TRIGGER article_labels_insert AFTER INSERT ON article_topics BEGIN
    INSERT INTO article_labels (article_id, topics, countries, states)
    VALUES (new.article_id,
        (SELECT json_group_array(topic) FROM (SELECT topic FROM article_topics
         WHERE article_id = new.article_id AND matched ORDER BY topic)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT c.key AS code
         FROM article_topics t, json_each(t.countries) c WHERE t.article_id = new.article_id
         ORDER BY code)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT s.key AS code
         FROM article_topics t, json_each(t.states) s WHERE t.article_id = new.article_id
         ORDER BY code)))
    ON CONFLICT(article_id) DO UPDATE SET topics = excluded.topics,
        countries = excluded.countries, states = excluded.states;
END;
CREATE TRIGGER article_labels_update AFTER UPDATE ON article_topics BEGIN
    INSERT INTO article_labels (article_id, topics, countries, states)
    VALUES (new.article_id,
        (SELECT json_group_array(topic) FROM (SELECT topic FROM article_topics
         WHERE article_id = new.article_id AND matched ORDER BY topic)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT c.key AS code
         FROM article_topics t, json_each(t.countries) c WHERE t.article_id = new.article_id
         ORDER BY code)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT s.key AS code
         FROM article_topics t, json_each(t.states) s WHERE t.article_id = new.article_id
         ORDER BY code)))
    ON CONFLICT(article_id) DO UPDATE SET topics = excluded.topics,
        countries = excluded.countries, states = excluded.states;
END;
CREATE TRIGGER article_labels_delete AFTER DELETE ON article_topics BEGIN
    INSERT INTO article_labels (article_id, topics, countries, states)
    VALUES (old.article_id,
        (SELECT json_group_array(topic) FROM (SELECT topic FROM article_topics
         WHERE article_id = old.article_id AND matched ORDER BY topic)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT c.key AS code
         FROM article_topics t, json_each(t.countries) c WHERE t.article_id = old.article_id
         ORDER BY code)),
        (SELECT json_group_array(code) FROM (SELECT DISTINCT s.key AS code
         FROM article_topics t, json_each(t.states) s WHERE t.article_id = old.article_id
         ORDER BY code)))
    ON CONFLICT(article_id) DO UPDATE SET topics = excluded.topics,
        countries = excluded.countries, states = excluded.states;
END;
-- article_list: one row per article, the reader's columns first; month is that of the publication
-- date (or of first_seen when undated).
CREATE VIEW article_list AS
SELECT a.id, a.title, a.outlet, a.published,
       substr(coalesce(a.published, a.first_seen), 1, 7) AS month,
       coalesce(l.topics, '[]') AS topics, coalesce(l.countries, '[]') AS countries,
       coalesce(l.states, '[]') AS states,
       a.body, a.url, coalesce(a.story_id, a.id) AS story_id, a.first_seen
FROM articles a LEFT JOIN article_labels l ON l.article_id = a.id;
-- Articles per month and outlet (all stored articles), and per month, topic and outlet.
CREATE VIEW monthly_outlet_counts AS
SELECT substr(coalesce(published, first_seen), 1, 7) AS month, outlet, count(*) AS articles,
       count(DISTINCT coalesce(story_id, id)) AS stories
FROM articles
GROUP BY 1, 2;
CREATE VIEW monthly_topic_counts AS
SELECT substr(coalesce(a.published, a.first_seen), 1, 7) AS month, t.topic, a.outlet,
       count(*) AS articles, count(DISTINCT coalesce(a.story_id, a.id)) AS stories
FROM articles a JOIN article_topics t ON t.article_id = a.id
WHERE t.matched
GROUP BY 1, 2, 3;
