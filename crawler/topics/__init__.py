"""Topic rules and matching: which articles are about what, and why."""
from __future__ import annotations

from crawler.topics.matcher import Evidence, Topic, TopicMatch, classify, load_topics, match
from crawler.topics.rules import TopicConfigError, load_rules

__all__ = [
    "Evidence",
    "Topic",
    "TopicConfigError",
    "TopicMatch",
    "classify",
    "load_rules",
    "load_topics",
    "match",
]
