"""Score a topic on labelled articles: precision, recall, and every miss and false alarm with the
rule's own explanation.

A labels file is JSON Lines, one article per line: `title`, `text` (or `body`), `label` (true or
false; or a topic id / "other"), optionally `id`, `url`, `kind`, `split`. Real news kept outside the
repository is scored this way (`rasad topics backtest --labels FILE`); so are the alert verdicts
readers gave (`rasad alerts feedback`).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.topics.matcher import Topic


class LabelsError(Exception):
    """The labels file is unreadable or a line is malformed; the message names file and line."""


@dataclass
class Scored:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def summary(self) -> dict[str, Any]:
        return {"n": self.n, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3)}


def _gold(value: Any, topic_id: str, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value:
        return value == topic_id
    raise LabelsError(f"{where}: key 'label': expected true/false or a topic id, got {value!r}")


def load_labels(path: str | Path, topic_id: str, split: str | None = None) -> list[dict[str, Any]]:
    """Rows of a labels file with `gold` (bool) set; only `split` if given."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(f"{p}: cannot read labels file: {exc}") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{p}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{where}: not JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise LabelsError(f"{where}: expected an object")
        if "label" not in row:
            raise LabelsError(f"{where}: key 'label': missing required key")
        if "text" not in row and "body" not in row:
            raise LabelsError(f"{where}: key 'text': missing required key")
        row["gold"] = _gold(row["label"], topic_id, where)
        row.setdefault("id", row.get("url") or f"line {n}")
        if split is None or row.get("split") == split:
            rows.append(row)
    if not rows:
        raise LabelsError(f"{p}: no labelled rows" + (f" in split {split!r}" if split else ""))
    return rows


def score(topic: Topic, rows: list[dict[str, Any]]) -> Scored:
    out = Scored()
    for row in rows:
        m = topic.match(row.get("title") or "", row.get("text") or row.get("body") or "")
        out.n += 1
        gold = row["gold"]
        if m.matched and gold:
            out.tp += 1
        elif m.matched:
            out.fp += 1
        elif gold:
            out.fn += 1
        else:
            out.tn += 1
        if m.matched != gold:
            entry = {"id": row["id"], "url": row.get("url"), "kind": row.get("kind"),
                     "title": row.get("title") or "", "score": m.score, "reason": m.reason,
                     "reasons": m.reasons, "sentences": m.sentences, "groups": fired(m)}
            (out.false_alarms if m.matched else out.misses).append(entry)
    return out


def fired(m: Any) -> list[str]:
    """Rule groups (or roles) that contributed to a verdict, exclusions marked."""
    return sorted(set(m.terms)) + [f"{x} (exclusion)" for x in m.excluded_by]


def by_kind(topic: Topic, rows: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """kind → Counter(right, wrong): where the errors cluster."""
    table: dict[str, Counter[str]] = {}
    for row in rows:
        m = topic.match(row.get("title") or "", row.get("text") or row.get("body") or "")
        kind = str(row.get("kind") or ("positive" if row["gold"] else "negative"))
        table.setdefault(kind, Counter())["right" if m.matched == row["gold"] else "wrong"] += 1
    return table
