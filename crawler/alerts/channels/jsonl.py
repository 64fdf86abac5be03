"""A JSON Lines file: one message per line (the demo's channel, and a local audit trail). The file
is its own receiver: a message id already in it is not appended again."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from crawler.alerts.channels.base import Outcome
from crawler.alerts.config import Channel
from crawler.alerts.message import Message
from storage.db_time import now_iso


def resolve(path: str, base_dir: Path) -> Path:
    """Relative paths are relative to the database's folder (so each store has its own file)."""
    p = Path(os.path.expanduser(path))
    return p if p.is_absolute() else base_dir / p


def read_ids(path: Path) -> set[str]:
    ids: set[str] = set()
    if not path.exists():
        return ids
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                ids.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line from a crash: that message is written again
    return ids


class JsonlChannel(Channel):
    kind: Literal["jsonl"] = "jsonl"
    path: str | None = None  # relative: to the database's folder

    def problem(self) -> str | None:
        return None if self.path else "key 'path': missing required key"

    def make_sender(self, base_dir: Path) -> JsonlSender:
        return JsonlSender(self, base_dir)


class JsonlSender:
    def __init__(self, channel: JsonlChannel, base_dir: Path) -> None:
        self.path = resolve(channel.path or "alerts.jsonl", base_dir)
        self._ids: set[str] | None = None

    def send(self, message: Message) -> Outcome:
        try:
            if self._ids is None:
                self._ids = read_ids(self.path)
            if message.id in self._ids:
                return Outcome(ok=True)
            line = json.dumps({"id": message.id, "type": message.kind, "channel": message.channel,
                               "created": message.created, "written": now_iso(),
                               "data": message.payload}, ensure_ascii=False)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            return Outcome(ok=False, retry=True, error=f"{type(exc).__name__}: {exc}")
        self._ids.add(message.id)
        return Outcome(ok=True)

    def close(self) -> None:
        pass
