-- Topics and alerts (issue 6). Every stored article gets one article_topics row per configured
-- topic (matched or not, with the reasons); a matched new article gets one alert_outbox row per
-- subscribed channel, written in the article's own transaction. The dispatcher turns outbox rows
-- into alert_deliveries (one message: a single alert or a digest) and logs every attempt.
CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    topic TEXT NOT NULL,
    matched INTEGER NOT NULL,
    score REAL NOT NULL,
    why TEXT NOT NULL DEFAULT '{}',
    countries TEXT NOT NULL DEFAULT '{}',
    states TEXT NOT NULL DEFAULT '{}',
    classified TEXT NOT NULL,
    PRIMARY KEY (article_id, topic)
) WITHOUT ROWID;
CREATE INDEX article_topics_topic ON article_topics(topic, matched);
CREATE TABLE alert_deliveries (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,
    claimed_by INTEGER,
    lease_until TEXT,
    created TEXT NOT NULL,
    sent TEXT,
    last_error TEXT
);
CREATE INDEX alert_deliveries_due ON alert_deliveries(status, next_attempt);
-- story_id: the article's story (issue 4's articles.story_id) or, without one, the article id.
-- UNIQUE(story_id, topic, channel) is the exactly-once key: a URL variant or a reprint of the
-- same story on another outlet cannot add a second row, whatever process writes it.
CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    delivery_id TEXT REFERENCES alert_deliveries(id),
    created TEXT NOT NULL,
    sent TEXT,
    UNIQUE (story_id, topic, channel)
);
CREATE INDEX alert_outbox_pending ON alert_outbox(status, channel, delivery_id);
CREATE INDEX alert_outbox_delivery ON alert_outbox(delivery_id);
CREATE TABLE alert_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES alert_deliveries(id),
    attempt INTEGER NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    outcome TEXT NOT NULL DEFAULT 'sending',
    status_code INTEGER,
    error TEXT,
    UNIQUE (delivery_id, attempt)
);
