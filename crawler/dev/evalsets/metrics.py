"""Each set's own measure, so the figures compare with what its authors publish."""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

_TOKEN = re.compile(r"\w+")
Triple = tuple[float, float, float]


def _tokens(text: str | None) -> list[str]:
    # NFC on both sides: some ground truths are NFD ("u" + combining diaeresis), which \w
    # splits into two tokens, while rasad stores NFC; the benchmarks' own scripts do not
    # normalise, which would count that as wrong text.
    return _TOKEN.findall(unicodedata.normalize("NFC", text or ""))


def shingles(true: str, pred: str | None, n: int = 4) -> Triple:
    """Scrapinghub's measure: tp/fp/fn over 4-word shingles, normalised per page."""
    def count(text: str | None) -> Counter[tuple[str, ...]]:
        toks = _tokens(text)
        return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))
                       if toks[i:i + n])
    a, b = count(true), count(pred)
    tp = sum((a & b).values())
    fp, fn = sum((b - a).values()), sum((a - b).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (tp / (tp + fp) if tp + fp else 0.0)


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (tp / (tp + fn) if tp + fn else 0.0)


def page_f1(triple: Triple) -> float:
    p, r = _precision(*triple), _recall(*triple)
    return 2 * p * r / (p + r) if p + r else 0.0


def benchmark_f1(triples: list[Triple]) -> float:
    """Scrapinghub's evaluate.py: F1 of the mean precision and the mean recall."""
    ps = [_precision(*t) for t in triples if t[0] + t[1] > 0]
    rs = [_recall(*t) for t in triples if t[0] + t[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def segments(case: dict[str, Any], text: str | None) -> tuple[int, int, int]:
    """trafilatura's measure: which "with" and "without" snippets the text holds."""
    got = _norm(text)
    tp = sum(1 for w in case["with"] if got and _norm(w) in got)
    fp = sum(1 for w in case["without"] if got and _norm(w) in got)
    return tp, fp, len(case["with"]) - tp


def segment_f1(counts: Iterable[tuple[int, int, int]]) -> float:
    tp = fp = fn = 0
    for a, b, c in counts:
        tp, fp, fn = tp + a, fp + b, fn + c
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\||\n| and | und | & )\s*")


def author_set(value: Any) -> frozenset[str]:
    names = value if isinstance(value, list) else _AUTHOR_SPLIT.split(str(value or ""))
    return frozenset(_norm(n).casefold() for n in names if _norm(n))


def same_title(got: str | None, truth: str | None) -> bool:
    return _norm(got) == _norm(truth)


def same_day(got: str | None, truth: str | None) -> bool:
    """Exact day; no date where the truth has none counts as right (htmldate's rule)."""
    return (got or "")[:10] == (truth or "") if got or truth else True
