"""Alerts: topic verdicts and outbox rows written with each new article (listener), a dispatcher
that drains the outbox exactly once per (story, topic, channel), and the channels it sends to
(JSON webhook, Slack-compatible webhook, SMTP e-mail, JSON Lines file)."""
from __future__ import annotations

from crawler.alerts.config import AlertConfigError, AlertsConfig, Channel, load_alerts
from crawler.alerts.dispatcher import DispatchReport, dispatch_pending
from crawler.alerts.notices import notify_incident

__all__ = ["AlertConfigError", "AlertsConfig", "Channel", "DispatchReport", "dispatch_pending",
           "load_alerts", "notify_incident"]
