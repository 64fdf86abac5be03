-- Views for analysts who query the store directly (issue 7); names and columns are stable (README,
-- "Database schema"). A week is the ISO week (Monday to Sunday) of the article's publication date,
-- or of the day rasad first saw it when the page carries no date; `week` is that Monday.
-- Articles that matched the partnership topic, one row per article (reprints share story_id).
CREATE VIEW partnership_articles AS
SELECT a.id, a.published, a.outlet, a.title, a.url, coalesce(a.story_id, a.id) AS story_id,
       t.score, t.countries, t.states, t.why, a.first_seen
FROM articles a JOIN article_topics t ON t.article_id = a.id
WHERE t.topic = 'partnership' AND t.matched;
-- Every country the topic gazetteers found in an article (one row per article and country).
CREATE VIEW article_countries AS
SELECT t.article_id, c.key AS country, max(c.value) AS mentions,
       max(t.topic = 'partnership' AND t.matched) AS partnership
FROM article_topics t, json_each(t.countries) c
GROUP BY t.article_id, c.key;
-- Articles stored per week and outlet.
CREATE VIEW weekly_outlet_counts AS
SELECT date(substr(coalesce(published, first_seen), 1, 10), '-6 days', 'weekday 1') AS week,
       outlet, count(*) AS articles, count(DISTINCT coalesce(story_id, id)) AS stories
FROM articles
GROUP BY 1, 2;
-- Articles that matched each topic, per week and outlet.
CREATE VIEW weekly_topic_counts AS
SELECT date(substr(coalesce(a.published, a.first_seen), 1, 10), '-6 days', 'weekday 1') AS week,
       t.topic, a.outlet, count(*) AS articles,
       count(DISTINCT coalesce(a.story_id, a.id)) AS stories
FROM articles a JOIN article_topics t ON t.article_id = a.id
WHERE t.matched
GROUP BY 1, 2, 3;
