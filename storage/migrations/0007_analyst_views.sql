-- Views for the web view's lists (issue 16), stable for SQL users too (README, "Database schema").
-- article_list: one row per article, reader's columns first; topics, countries and states are JSON
-- arrays (the topics it matched, the countries and US states the gazetteers found) so that lists
-- can facet on them; month is that of the publication date (or of first_seen when undated).
CREATE VIEW article_list AS
SELECT a.id, a.title, a.outlet, a.published,
       substr(coalesce(a.published, a.first_seen), 1, 7) AS month,
       (SELECT json_group_array(topic) FROM (SELECT t.topic FROM article_topics t
         WHERE t.article_id = a.id AND t.matched ORDER BY t.topic)) AS topics,
       (SELECT json_group_array(code) FROM (SELECT DISTINCT c.key AS code
         FROM article_topics t, json_each(t.countries) c WHERE t.article_id = a.id
         ORDER BY code)) AS countries,
       (SELECT json_group_array(code) FROM (SELECT DISTINCT s.key AS code
         FROM article_topics t, json_each(t.states) s WHERE t.article_id = a.id
         ORDER BY code)) AS states,
       a.body, a.url, coalesce(a.story_id, a.id) AS story_id, a.first_seen
FROM articles a;
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
