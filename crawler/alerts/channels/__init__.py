"""Channel senders by kind. `sender_for` raises MissingSecret when an environment variable the
channel needs is unset (its messages are then held, not failed)."""
from __future__ import annotations

from pathlib import Path

from crawler.alerts.channels.base import MissingSecret, Outcome, Sender
from crawler.alerts.config import Channel

__all__ = ["MissingSecret", "Outcome", "Sender", "sender_for"]


def sender_for(channel: Channel, base_dir: Path) -> Sender:
    if channel.kind == "webhook":
        from crawler.alerts.channels.http import WebhookSender
        return WebhookSender(channel)
    if channel.kind == "slack":
        from crawler.alerts.channels.http import SlackSender
        return SlackSender(channel)
    if channel.kind == "apprise":
        from crawler.alerts.channels.apprise_channel import AppriseSender
        return AppriseSender(channel)
    if channel.kind == "email":
        from crawler.alerts.channels.email import EmailSender
        return EmailSender(channel)
    from crawler.alerts.channels.jsonl import JsonlSender
    return JsonlSender(channel, base_dir)
