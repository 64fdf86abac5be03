"""The topic listener: runs inside each article's write transaction (storage.articles), records
the article's verdict for every topic in article_topics and, for a new article that matched,
one alert_outbox row per subscribed channel — so an article and its alert commit together or not
at all.

Settings (read in `from_crawler`): RASAD_TOPICS (default config/topics.toml), RASAD_ALERTS
(default config/alerts.toml), RASAD_ALERT_BACKFILL (alert on an outlet's first crawl too; `rasad
crawl --alert-backfill`).
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from crawler.alerts.config import AlertsConfig, load_alerts
from storage.alerts import (
    BASELINE,
    PENDING,
    TopicRow,
    enqueue,
    outlet_in_baseline,
    record_topics,
    story_of,
    topic_row,
)
from storage.record import Article

_lock = threading.Lock()
_topics_cache: dict[tuple[str, float], dict[str, Any]] = {}


def topics_source(path: str | Path | None = None) -> tuple[str, float]:
    """Which topics file (path, mtime) `load_topics_cached(path)` compiles."""
    from crawler.config import DEFAULT_TOPICS

    p = Path(path or DEFAULT_TOPICS)
    return (str(p.resolve()), p.stat().st_mtime if p.exists() else 0.0)


def load_topics_cached(path: str | Path | None = None) -> dict[str, Any]:
    """Compiled topics, once per process and file version (a crawl opens one store per outlet)."""
    return _load_topics(topics_source(path))


def _load_topics(key: tuple[str, float]) -> dict[str, Any]:
    from crawler.topics import load_topics

    with _lock:
        if key not in _topics_cache:
            _topics_cache.clear()
            _topics_cache[key] = load_topics(key[0])
        return _topics_cache[key]


def verdict_why(m: Any, label: str) -> dict[str, Any]:
    """The `why` column: what the alert quotes and `rasad topics explain` shows."""
    return {"label": label, "threshold": m.threshold, "reasons": list(m.reasons),
            "terms": m.terms, "excluded_by": list(m.excluded_by),
            "reason": getattr(m, "reason", ""), "sentences": list(getattr(m, "sentences", []))}


def verdict_row(topic: Any, article: Article) -> TopicRow:
    """The topic's verdict on the article, as its article_topics row (JSON columns written)."""
    m = topic.match(article.title or "", article.body or "")
    return topic_row(m.matched, m.score, verdict_why(m, topic.label), m.countries, m.states)


class TopicListener:
    def __init__(
        self, topics: dict[str, Any] | None, alerts: AlertsConfig | None, backfill: bool = False,
        source: tuple[str, float] | None = None, topics_path: str | None = None,
        alerts_path: str | None = None,
    ) -> None:
        # None: read from `topics_path` / `alerts_path` when the first article needs them.
        self._topics, self._alerts = topics, alerts
        self.topics_path, self.alerts_path = topics_path, alerts_path
        self.backfill = backfill
        self.source = source  # the topics file `prepare()` must have used, if any
        if topics is not None and alerts is not None:
            alerts.check_topics(topics)

    @property
    def topics(self) -> dict[str, Any]:
        if self._topics is None:
            self._topics = load_topics_cached(self.topics_path)
            self.alerts.check_topics(self._topics)
        return self._topics

    @property
    def alerts(self) -> AlertsConfig:
        if self._alerts is None:
            self._alerts = load_alerts(self.alerts_path)
        return self._alerts

    @staticmethod
    def prepare_context(settings: Any) -> str | None:
        """What `prepare` needs to know: the topics file (RASAD_TOPICS)."""
        return settings.get("RASAD_TOPICS") or None

    @staticmethod
    def prepare(article: Article, topics_path: str | None = None
                ) -> tuple[tuple[str, float], dict[str, TopicRow]]:
        """Every topic's verdict as its article_topics row, computed where no database is needed
        (a crawl's worker process), with the topics file it came from."""
        source = topics_source(topics_path)  # once: it resolves the path and reads its mtime
        topics = _load_topics(source)
        return source, {t.id: verdict_row(t, article) for t in topics.values()}

    def article_written(
        self, conn: sqlite3.Connection, article_id: int, article: Article, status: str,
        prepared: tuple[tuple[str, float], dict[str, TopicRow]] | None = None,
    ) -> None:
        # Verdicts from prepare() count only if they came from this listener's topics file.
        verdicts = prepared[1] if prepared and self.source and prepared[0] == self.source \
            and prepared[1].keys() == self.topics.keys() else {}
        # every topic is stored: searchable, explainable
        rows = [(topic.id, verdicts.get(topic.id) or verdict_row(topic, article))
                for topic in self.topics.values()]
        record_topics(conn, article_id, rows)
        matched = [topic_id for topic_id, row in rows if row.matched]
        # "revised" (a minor edit) never alerts. "new" and "updated" (a material change) may:
        # the outbox key lets a story alert once per topic and channel, so an update alerts
        # only an article that did not match before.
        if status not in ("new", "updated") or not matched:
            return
        baseline = not self.backfill and outlet_in_baseline(conn, article.outlet)
        story = story_of(conn, article_id)
        for topic_id in matched:
            by_default = getattr(self.topics[topic_id], "alert", True)
            channels = [c.id for c in self.alerts.enabled(topic_id, by_default)]
            # Baseline matches are recorded too: the story is then known, and a reprint of it
            # on another outlet later is not news either.
            enqueue(conn, story, article_id, topic_id, channels,
                    status=BASELINE if baseline else PENDING)


    @classmethod
    def from_crawler(cls, crawler: Any) -> TopicListener:
        """Built by the storage pipeline (RASAD_STORE_LISTENERS)."""
        from crawler.config import validated

        settings = crawler.settings
        topics_path = settings.get("RASAD_TOPICS") or None
        alerts_path = settings.get("RASAD_ALERTS") or None
        # Files that passed the crawl's check before are compiled when the first article needs
        # them (an unchanged re-crawl never does); others now, so a bad file stops the start.
        lazy = validated.seen(validated.crawl_files(alerts_path, topics_path))
        return cls(None if lazy else load_topics_cached(topics_path),
                   None if lazy else load_alerts(alerts_path),
                   settings.getbool("RASAD_ALERT_BACKFILL"), topics_source(topics_path),
                   topics_path, alerts_path)
