"""Alert channel kinds: each kind is a module here with its model (a `Channel` subclass: its
keys, their checks, its sender), registered once in KINDS. `sender_for` raises MissingSecret
when an environment variable the channel needs is unset (its messages are then held, not
failed)."""
from __future__ import annotations

from pathlib import Path

from crawler.alerts.channels.apprise_channel import AppriseChannel
from crawler.alerts.channels.base import MissingSecret, Outcome, Sender
from crawler.alerts.channels.email import EmailChannel
from crawler.alerts.channels.http import SlackChannel, WebhookChannel
from crawler.alerts.channels.jsonl import JsonlChannel
from crawler.alerts.config import Channel

__all__ = ["KINDS", "MissingSecret", "Outcome", "Sender", "sender_for"]

# The registry of channel kinds: `kind = "<name>"` in alerts.toml → its model.
KINDS: dict[str, type[Channel]] = {
    "webhook": WebhookChannel,
    "slack": SlackChannel,
    "email": EmailChannel,
    "jsonl": JsonlChannel,
    "apprise": AppriseChannel,
}


def sender_for(channel: Channel, base_dir: Path) -> Sender:
    return channel.make_sender(base_dir)
