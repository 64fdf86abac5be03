"""Precision/recall of a topic on the labelled articles in tests/data/topics/.

`eval.jsonl` is the development set (rules were written and weighed against it); `heldout.jsonl`
was written after the rules were frozen. Once a held-out batch has driven a fix it is no longer an
honest estimate: the figures measured before each fix are kept in tests/data/topics/README.md.
Run:

    python -m crawler.dev.bench.topics [--topic partnership] [--data DIR] [--verbose]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from crawler.topics.matcher import Topic, load_topics

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "topics"
SETS = ("eval", "heldout")


def load_set(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            missing = {"id", "title", "body", "label"} - set(row)
            if missing:
                raise ValueError(f"{path}:{n}: missing {', '.join(sorted(missing))}")
            rows.append(row)
    return rows


def is_gold(row: dict[str, Any], topic_id: str) -> bool:
    """`topics` lists every topic a row belongs to (issue 11 split the old `partnership` into
    a US/NATO `partnership` and the broader `regional_military_cooperation`); older rows have
    only `label`."""
    if "topics" in row:
        return topic_id in row["topics"]
    return bool(row["label"] == topic_id)


def score_set(topic: Topic, rows: list[dict[str, Any]]) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    errors = []
    for row in rows:
        result = topic.match(row["title"], row["body"])
        gold = is_gold(row, topic.id)
        if result.matched and gold:
            tp += 1
        elif result.matched:
            fp += 1
        elif gold:
            fn += 1
        else:
            tn += 1
        if result.matched != gold:
            errors.append({
                "id": row["id"],
                "kind": "false positive" if result.matched else "false negative",
                "note": row.get("note", ""),
                "score": result.score,
                "reasons": result.reasons,
            })
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(rows), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
        "errors": errors,
    }


def run(topic_id: str = "partnership", data: Path | None = None,
        topics_path: Path | None = None) -> dict[str, Any]:
    """Score every set present in `data`; also the union ("all")."""
    data = data or DATA
    topic = load_topics(topics_path)[topic_id]
    report: dict[str, Any] = {"topic": topic_id}
    everything: list[dict[str, Any]] = []
    for name in SETS:
        path = data / f"{name}.jsonl"
        if path.exists():
            rows = load_set(path)
            everything += rows
            report[name] = score_set(topic, rows)
    start = time.perf_counter()
    report["all"] = score_set(topic, everything)
    elapsed = time.perf_counter() - start
    report["ms_per_article"] = round(1000 * elapsed / max(1, len(everything)), 2)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="partnership")
    parser.add_argument("--data", type=Path, default=None, help="directory with eval/heldout.jsonl")
    parser.add_argument("--topics", type=Path, default=None, help="topics.toml to evaluate")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every reason")
    args = parser.parse_args(argv)
    report = run(args.topic, args.data, args.topics)
    print(f"topic {report['topic']}  ({report['ms_per_article']} ms/article)"
          "  — clean held-out history: tests/data/topics/README.md")
    for name in (*SETS, "all"):
        if name not in report:
            continue
        r = report[name]
        print(f"  {name:8} n={r['n']:3}  precision {r['precision']:.3f}  recall {r['recall']:.3f}"
              f"  F1 {r['f1']:.3f}  (tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']})")
    for name in SETS:
        for err in report.get(name, {}).get("errors", []):
            print(f"\n[{name}] {err['kind']}: {err['id']} (score {err['score']})  {err['note']}")
            shown = err["reasons"] if args.verbose else err["reasons"][:4]
            for reason in shown:
                print(f"    {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
