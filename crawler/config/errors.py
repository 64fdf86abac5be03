"""The errors of the topic and alert files, here so that the CLI can catch them without
importing the topic matcher and the channel models (a crawl of unchanged files never does)."""
from __future__ import annotations


class TopicConfigError(Exception):
    """topics.toml is unreadable or invalid. The message names file, topic (or entry) and key."""


class AlertConfigError(Exception):
    """alerts.toml is unreadable or invalid; the message names file, channel and key."""
