"""`python -m crawler.dev.evalsets DIR...`: rasad vs plain trafilatura (and htmldate) on public
evaluation sets (see __init__.py). Prints one table per set; --json writes every page's result.
max_ms is the slowest page, first_ms rasad's first page in a fresh process (imports included);
--half A|B scores one half of each set (split by a hash of the file name), so that a change
studied on one half can be checked on the other."""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from crawler.dev.evalsets import metrics as m
from crawler.dev.evalsets.runner import Workers
from crawler.dev.evalsets.sets import LOADERS, kind_of

SYSTEMS = {"scrapinghub": ("rasad", "trafilatura"), "fundus": ("rasad", "trafilatura"),
           "trafilatura": ("rasad", "trafilatura"),
           "htmldate": ("rasad", "trafilatura", "htmldate")}
# Below a competitor on one page by more than this is a regression worth listing.
PAGE_MARGIN = 0.02


def score(kind: str, rows: list[dict[str, Any]], system: str) -> dict[str, Any]:
    """The set's figures for one system."""
    res = [r[system] for r in rows]
    out: dict[str, Any] = {
        "median_ms": round(statistics.median(x["ms"] for x in res), 1),
        "max_ms": round(max(x["ms"] for x in res), 1),
        "max_cpu_ms": round(max(x["cpu_ms"] for x in res), 1),
        "timeouts": sum(1 for x in res if x.get("timeout")),
    }
    truths = [r["truth"] for r in rows]
    if kind in ("scrapinghub", "fundus") and system != "htmldate":
        triples = [m.shingles(t["body"], x.get("body")) for t, x in zip(truths, res, strict=True)]
        out["body_f1"] = round(m.benchmark_f1(triples), 4)
        out["page_f1_mean"] = round(statistics.mean(m.page_f1(t) for t in triples), 4)
        for r, t in zip(rows, triples, strict=True):
            r[system]["page_f1"] = m.page_f1(t)
    if kind == "fundus" and system != "htmldate":
        pairs = list(zip(truths, res, strict=True))
        out["title_exact"] = round(statistics.mean(
            m.same_title(x.get("title"), t["title"]) for t, x in pairs), 4)
        dated = [(t, x) for t, x in pairs if t.get("date")]
        out["date_exact"] = round(statistics.mean(
            m.same_day(x.get("date"), t["date"]) for t, x in dated), 4)
        authored = [(t, x) for t, x in pairs if t.get("authors")]
        out["authors_exact"] = round(statistics.mean(
            m.author_set(x.get("author")) == m.author_set(t["authors"]) for t, x in authored), 4)
    if kind == "trafilatura" and system != "htmldate":
        counts = [m.segments(t, x.get("body")) for t, x in zip(truths, res, strict=True)]
        out["segment_f1"] = round(m.segment_f1(counts), 4)
    if kind == "htmldate":
        out["date_accuracy"] = round(statistics.mean(
            m.same_day(x.get("date"), t.get("date")) for t, x in zip(truths, res, strict=True)), 4)
    return out


def below(rows: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """Pages where rasad's body F1 is under trafilatura's by more than PAGE_MARGIN."""
    return [(r["id"], r["rasad"]["page_f1"], r["trafilatura"]["page_f1"]) for r in rows
            if "page_f1" in r["rasad"]
            and r["rasad"]["page_f1"] < r["trafilatura"]["page_f1"] - PAGE_MARGIN]


def half_of(page_id: str) -> str:
    """The half ("A" or "B") a page is in, from a hash of its file name: stable across runs."""
    name = page_id.rsplit(":", 1)[-1]
    return "A" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "B"


def tune_or_held(page_id: str) -> str:
    """The split the generic body rules of issue 10 were made with: "tune" pages (studied) or
    "held" (never looked at), by the md5 of the page's id (`--split`)."""
    return "tune" if int(hashlib.md5(page_id.encode()).hexdigest(), 16) % 2 == 0 else "held"


def run_set(kind: str, root: Path, worker: Workers, limit: int,
            half: str | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for case in LOADERS[kind](root):
        if half and half_of(case["id"]) != half:
            continue
        if limit and len(rows) >= limit:
            break
        i = len(rows)
        row: dict[str, Any] = {"id": case["id"], "url": case["url"],
                               "truth": {k: v for k, v in case.items() if k != "data"}}
        for system in SYSTEMS[kind]:
            row[system] = worker.run(system, case["data"], case["url"])
        rows.append(row)
        if i % 100 == 99:
            print(f"{kind}: {i + 1} pages", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.dev.evalsets",
        description="Score rasad and plain trafilatura (and htmldate) on public evaluation sets "
                    "kept outside the repo. Example: python -m crawler.dev.evalsets "
                    "/work/eval/extraction/scrapinghub+article-extraction-benchmark")
    parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR",
                        help="snapshot of scrapinghub/article-extraction-benchmark, "
                             "flairNLP/fundus, adbar/trafilatura or adbar/htmldate")
    parser.add_argument("--limit", type=int, default=0, help="pages per set (default all)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds per page and system before it counts as a timeout")
    parser.add_argument("--half", choices=("A", "B"),
                        help="only one half of each set, split by a hash of the page's file "
                             "name: study one half, keep the other held out")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every page's result")
    parser.add_argument("--split", action="store_true",
                        help="also score the tune and held-out halves the generic body rules "
                             "were made with (md5 of the page id)")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    pages: dict[str, Any] = {}
    for root in args.dirs:
        kind = kind_of(root)
        if kind is None:
            print(f"{root}: not a known evaluation set snapshot", file=sys.stderr)
            return 2
        worker = Workers(args.timeout)  # fresh processes: each set measures a first page
        try:
            rows = run_set(kind, root, worker, args.limit, args.half)
        finally:
            worker.close()
        report[kind] = {"pages": len(rows)} | {s: score(kind, rows, s) for s in SYSTEMS[kind]}
        report[kind]["below_trafilatura"] = below(rows)
        if args.split:
            for name in ("tune", "held"):
                part = [r for r in rows if tune_or_held(r["id"]) == name]
                report[kind][name] = {"pages": len(part)} | {
                    s: score(kind, part, s) for s in SYSTEMS[kind]}
        report[kind]["rasad"]["first_ms"] = round(worker.first_ms("rasad") or 0, 1)
        pages[kind] = rows
    for kind, figures in report.items():
        print(f"## {kind} ({figures['pages']} pages)")
        for system in SYSTEMS[kind]:
            print(f"  {system:12} " + "  ".join(f"{k} {v}" for k, v in figures[system].items()))
        for name in ("tune", "held"):
            if name in figures:
                part = figures[name]
                print(f"  {name} half ({part['pages']} pages): " + "  ".join(
                    f"{s} {_main_figure(part[s])}" for s in SYSTEMS[kind]))
        lows = figures["below_trafilatura"]
        print(f"  pages where rasad's body F1 < trafilatura's - {PAGE_MARGIN}: {len(lows)}")
        for page, ours, theirs in lows[:20]:
            print(f"    {page}: {ours:.3f} vs {theirs:.3f}")
    if args.json:
        args.json.write_text(json.dumps({"report": report, "pages": pages}, ensure_ascii=False,
                                        default=str), encoding="utf-8")
    return 0


def _main_figure(figures: dict[str, Any]) -> str:
    return next((f"{k} {figures[k]}" for k in ("body_f1", "segment_f1", "date_accuracy")
                 if k in figures), "")


if __name__ == "__main__":
    sys.exit(main())
