"""Sentences of an article, with their character spans, for sentence-level rules and for quoting
the sentences that matched (alerts show them as the outlet wrote them)."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

# Arabic and Latin full stops, question and exclamation marks, the Arabic semicolon, line breaks.
# Not the comma: Arabic news sentences run on with «،» and a clause is too short to hold a role.
# Not ".." or "…" either: Arabic news uses them as a pause ("طاجيكستان.. رسائل أميركا").
_END = re.compile(r"(?<!\.)\.(?!\.)|[!?؟؛\n]+|\s//\s")
_SPACE = re.compile(r"\s+")
MAX_QUOTE = 400  # characters of one quoted sentence


class Sentence(NamedTuple):
    start: int
    end: int
    text: str  # whitespace-collapsed original spelling


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with spans; empty ones dropped. A decimal point ("3.5") is not an end."""
    out: list[Sentence] = []
    pos = 0
    for m in _END.finditer(text):
        if m.group().startswith(".") and _decimal(text, m.start()):
            continue
        _add(out, text, pos, m.start())
        pos = m.end()
    _add(out, text, pos, len(text))
    return out


@lru_cache(maxsize=4)
def sentence_spans(text: str) -> tuple[Sentence, ...]:
    """`split_sentences(text)`, remembered for the last few texts (every topic reads the same
    article)."""
    return tuple(split_sentences(text))


def _decimal(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(s, s + len(stripped), _SPACE.sub(" ", stripped)))


def quote(sentence: str) -> str:
    """A sentence short enough for a message."""
    if len(sentence) <= MAX_QUOTE:
        return sentence
    return sentence[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"


def index_of(sentences: Sequence[Sentence], offset: int) -> int:
    """The sentence holding character `offset` (the last one starting at or before it; the
    first if none does), found by bisection: sentences are in text order."""
    return max(bisect_right(sentences, offset, key=_start) - 1, 0)


def _start(sentence: Sentence) -> int:
    return sentence.start
