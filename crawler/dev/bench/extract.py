"""Extraction benchmark on every mirror article page with known truth.

For each page: word-level body F1, exact title, exact date, and wall time, for
  - rasad with the outlet's rules (what a crawl runs),
  - rasad without rules (the generic path a site without rules gets: trafilatura + safe clean-ups),
  - plain `trafilatura.extract` (defaults; json output to read its title and date too).

    python -m crawler.dev.bench.extract [--scale N] [--skin redesign]   # make bench: "extract"
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from crawler.config.outlets import load_config
from crawler.extract import extract_article

TARGET_MEAN_F1 = 0.97
TARGET_MIN_F1 = 0.90
_WORD = re.compile(r"\w+")


def word_f1(predicted: str | None, truth: str) -> float:
    """Bag-of-words F1 between two texts (order-insensitive, as extraction benchmarks use)."""
    pred = Counter(_WORD.findall(predicted or ""))
    gold = Counter(_WORD.findall(truth or ""))
    if not pred or not gold:
        return 1.0 if not pred and not gold else 0.0
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


Extracted = tuple[str | None, str | None, str | None]  # body, title, date


def _rasad(rules_for: Callable[[str], Any]) -> Callable[[Any], Extracted]:
    def run(page: Any) -> Extracted:
        art = extract_article(page.body, page.url, page.headers, rules_for(page.outlet),
                              page.outlet)
        return (art.body, art.title, art.published) if art else (None, None, None)
    return run


def _trafilatura(page: Any) -> Extracted:
    import json

    import trafilatura

    raw = trafilatura.extract(page.body, url=page.url, output_format="json", with_metadata=True)
    if not raw:
        return None, None, None
    doc = json.loads(raw)
    # Plain txt output is the main text followed by the comments; keep that as the body.
    body = "\n".join(t for t in (doc.get("text"), doc.get("comments")) if t)
    return body, doc.get("title"), (doc.get("date") or "")[:10] or None


def measure(pages: Iterable[Any], extractors: dict[str, Callable[[Any], Extracted]]) \
        -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for page in pages:
        truth = page.truth
        row: dict[str, Any] = {"outlet": page.outlet, "url": page.url}
        for name, extract in extractors.items():
            start, cpu = time.perf_counter(), time.process_time()
            body, title, date = extract(page)
            ms = (time.perf_counter() - start) * 1000
            cpu_ms = (time.process_time() - cpu) * 1000
            row[name] = {"f1": round(word_f1(body, truth["body"]), 4),
                         "title": title == truth["title"], "date": date == truth["published"],
                         "ms": round(ms, 2), "cpu_ms": round(cpu_ms, 2), "got_date": date}
        rows.append(row)
    summary = {}
    for name in extractors:
        results = [r[name] for r in rows]
        f1s = [r["f1"] for r in results] or [0.0]
        summary[name] = {
            "pages": len(results),
            "mean_f1": round(statistics.fmean(f1s), 4),
            "min_f1": round(min(f1s), 4),
            "titles_exact": sum(r["title"] for r in results),
            "dates_exact": sum(r["date"] for r in results),
            "median_ms": round(statistics.median([r["ms"] for r in results] or [0.0]), 2),
            # CPU time is the fairer figure on a busy machine (wall time includes waiting).
            "median_cpu_ms": round(statistics.median([r["cpu_ms"] for r in results] or [0.0]), 2),
        }
    return {"summary": summary, "pages": rows}


def run(scale: int = 0, pages: Iterable[Any] | None = None, skin: str = "normal") \
        -> dict[str, Any]:
    """Benchmark every mirror article page (`crawler.dev.mirror.iter_pages`, in the default or
    the "redesign" skin) or the given pages."""
    if pages is None:
        from crawler.dev.mirror import iter_pages

        pages = iter_pages(scale=scale, layout=skin)
    outlets = load_config().outlets
    extractors = {
        "rasad": _rasad(lambda o: outlets[o].extract if o in outlets else None),
        "rasad_no_rules": _rasad(lambda o: None),
        "trafilatura": _trafilatura,
    }
    result = measure(list(pages), extractors)
    s = result["summary"]["rasad"]
    result["targets_met"] = (s["pages"] > 0 and s["mean_f1"] >= TARGET_MEAN_F1
                             and s["min_f1"] >= TARGET_MIN_F1
                             and s["titles_exact"] == s["pages"] == s["dates_exact"])
    return result


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{'extractor':<16}{'pages':>6}{'mean F1':>9}{'min F1':>8}{'titles':>8}"
             f"{'dates':>7}{'ms/page':>9}{'cpu ms':>8}"]
    for name, s in result["summary"].items():
        lines.append(f"{name:<16}{s['pages']:>6}{s['mean_f1']:>9.3f}{s['min_f1']:>8.3f}"
                     f"{s['titles_exact']:>8}{s['dates_exact']:>7}{s['median_ms']:>9.1f}"
                     f"{s['median_cpu_ms']:>8.1f}")
    worst = sorted(result["pages"], key=lambda r: r["rasad"]["f1"])[:3]
    lines.append("lowest rasad F1: " + ", ".join(f"{r['url']} {r['rasad']['f1']:.3f}"
                                                 for r in worst))
    lines.append("(median over pages; ms/page is wall time, cpu ms the process CPU time)")
    misses = [r["url"] for r in result["pages"] if not (r["rasad"]["title"] and r["rasad"]["date"])]
    if misses:
        lines.append("title/date misses: " + ", ".join(misses))
    lines.append(f"targets (mean F1 ≥ {TARGET_MEAN_F1}, min ≥ {TARGET_MIN_F1}, titles and dates "
                 f"exact): {'met' if result['targets_met'] else 'NOT met'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: python -m crawler.dev.bench.extract --scale 2")
    parser.add_argument("--scale", type=int, default=0, help="synthetic articles per outlet "
                        "(the mirror's scale; 0 = corpus only)")
    parser.add_argument("--skin", choices=("normal", "redesign"), default="normal",
                        help="the mirror's skin: redesign = other class names and widgets, "
                             "where the rules are checked against the generic pass")
    args = parser.parse_args(argv if argv is not None else [])
    result = run(scale=args.scale, skin=args.skin)
    print(format_table(result))
    return 0 if result["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
