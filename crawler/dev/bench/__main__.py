"""Runs the benchmark sections in turn; a section whose module is missing is reported, not fatal."""
from __future__ import annotations

import importlib
import sys
import time

SECTIONS = {
    "crawl": "crawler.dev.bench.crawl",
    "extract": "crawler.dev.bench.extract",
    "hostile": "crawler.dev.bench.hostile",
    "topics": "crawler.dev.bench.topics",
    "alerts": "crawler.dev.bench.alerts",
    "incremental": "crawler.dev.bench.incremental",
    "search": "crawler.dev.bench.search",
    "ingest": "crawler.dev.bench.ingest",
    "workers": "crawler.dev.bench.workers",
}


def main(argv: list[str]) -> int:
    wanted = argv or list(SECTIONS)
    status = 0
    for name in wanted:
        module_name = SECTIONS.get(name)
        if module_name is None:
            print(f"unknown section {name!r}; sections: {', '.join(SECTIONS)}")
            return 2
        print(f"\n===== bench: {name} =====", flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            print(f"(skipped: {exc})")
            continue
        # A section runs as if started alone (`python -m <its module>`): those that read
        # options must not take the section names given here for theirs.
        saved, sys.argv = sys.argv, [module_name]
        try:
            result = module.main()
        finally:
            sys.argv = saved
        status = status or (result if isinstance(result, int) else 0)
        print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
