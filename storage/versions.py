"""Article versions: how much a refetched text changed, and the article_versions rows."""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# A change is "material" (alerts may fire again) when at least this share of the words changed.
# Corrections of a name, a figure or a typo change 1-3% of a 300-word article; an added
# paragraph of new developments changes 10-30%. Overridden by RASAD_MATERIAL_CHANGE.
DEFAULT_MATERIAL_CHANGE = 0.1


@dataclass(frozen=True)
class Change:
    changed: float  # share of words new or gone: sum of max(deleted, inserted) per edit / longer
    added: int
    removed: int


def measure(old: Sequence[str], new: Sequence[str]) -> Change:
    """Word-level difference between two normalised token sequences."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    added = removed = weighted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed += i2 - i1
        added += j2 - j1
        weighted += max(i2 - i1, j2 - j1)  # a replaced word counts once, not twice
    return Change(weighted / max(len(old), len(new), 1), added, removed)


def parse_threshold(value: object, name: str = "RASAD_MATERIAL_CHANGE") -> float:
    """A share between 0 and 1 (a setting or environment value); a clear error otherwise."""
    if value is None or value == "":
        return DEFAULT_MATERIAL_CHANGE
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return number


def record(
    conn: sqlite3.Connection, article_id: int, version: int, seen: str, title: str, body: str,
    content_hash: str, change: Change | None = None, material: bool = False,
    run_id: int | None = None,
) -> None:
    """One article_versions row; a repeat of the same (article, version) is ignored."""
    change = change or Change(0.0, 0, 0)
    conn.execute(
        "INSERT INTO article_versions (article_id, version, seen, title, body, content_hash, "
        "changed, words_added, words_removed, material, run_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_id, version) DO NOTHING",
        (article_id, version, seen, title, body, content_hash, round(change.changed, 4),
         change.added, change.removed, int(material), run_id),
    )
