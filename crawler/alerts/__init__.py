"""Alerts: topic verdicts and outbox rows written with each new article (listener), a dispatcher
that drains the outbox exactly once per (story, topic, channel), and the channels it sends to
(JSON webhook, Slack-compatible webhook, SMTP e-mail, JSON Lines file)."""
from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["AlertConfigError", "AlertsConfig", "Channel", "DispatchReport", "dispatch_pending",
           "load_alerts", "notify_incident"]

# Resolved on first use (PEP 562): a crawl imports crawler.alerts.config and the listener, and
# must not pay for the dispatcher and its channels' libraries with every start.
_WHERE = {"AlertConfigError": "config", "AlertsConfig": "config", "Channel": "config",
          "load_alerts": "config", "DispatchReport": "dispatcher",
          "dispatch_pending": "dispatcher", "notify_incident": "notices"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"crawler.alerts.{_WHERE[name]}"), name)
