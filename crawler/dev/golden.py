"""Golden fixtures: saved pages and the Article expected from each, one directory per outlet.

    tests/golden/<outlet>/<name>.html           the page as served (bytes)
    tests/golden/<outlet>/<name>.headers.json   response headers (optional)
    tests/golden/<outlet>/<name>.json           the expected Article (its "url" is the input)

<outlet> is an outlet id of config/outlets.toml (its rules apply) or "generic" (no rules).

    python -m crawler.dev.golden            # compare, print differences (exit 1 if any)
    python -m crawler.dev.golden --regen    # rewrite every .json from the current extractor
    python -m crawler.dev.golden --capture  # re-render the mirror-based pages, then regen

After an intended extractor change, run --regen and review `git diff tests/golden`.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crawler.config.outlets import load_config
from crawler.extract import extract_detailed

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "tests" / "golden"
CAPTURE_TODAY = date(2025, 11, 20)  # the header clock of captured pages: deterministic bytes

# Mirror-rendered fixtures: (outlet, name, corpus key, overrides of the corpus record).
_NO_META = {"meta": False, "jsonld": False}
CAPTURES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("centcomcitadel", "seed-000", "seed-000-tajikistan-virginia", {}),
    ("centcomcitadel", "seed-001", "seed-001-qatar-west-virginia", {}),
    ("centcomcitadel", "seed-002-hero", "seed-002-mississippi-uzbekistan", {}),
    ("centcomcitadel", "cp1256-header", "seed-001-qatar-west-virginia",
     {"encoding": "cp1256-header"}),
    ("centcomcitadel", "cp1256-undeclared", "seed-000-tajikistan-virginia",
     {"encoding": "cp1256-undeclared", "dates": {"meta": False}}),
    ("centcomcitadel", "cp1256-wrong-meta", "seed-001-qatar-west-virginia",
     {"encoding": "cp1256-wrong-meta"}),
    ("centcomcitadel", "cp1256-wrong-header", "seed-000-tajikistan-virginia",
     {"encoding": "cp1256-wrong-header"}),
    ("maseer", "seed-003", "seed-003-tajikistan-messages", {}),
    ("maseer", "visible-levant-indic-date", "seed-003-tajikistan-messages",
     {"dates": {**_NO_META, "visible": "levant-indic"}}),
    ("maseer", "visible-hijri-date", "seed-003-tajikistan-messages",
     {"dates": {**_NO_META, "visible": "hijri"}}),
    ("alqaed", "seed-004", "seed-004-defence-chiefs-islamabad", {}),
    ("alqaed", "english", "aq-en-cricket-season", {}),
    ("alqaed", "visible-algeria-date", "seed-004-defence-chiefs-islamabad",
     {"dates": {**_NO_META, "visible": "algeria", "datetime_attr": False}}),
    ("alqaed", "visible-egypt-double-date", "seed-004-defence-chiefs-islamabad",
     {"dates": {**_NO_META, "visible": "egypt", "datetime_attr": False},
      "encoding": "cp1256-undeclared"}),
]


@dataclass
class Case:
    outlet: str
    name: str
    html: Path

    @property
    def expected_path(self) -> Path:
        return self.html.with_suffix(".json")

    @property
    def headers_path(self) -> Path:
        return self.html.with_name(self.name + ".headers.json")

    def headers(self) -> dict[str, str]:
        path = self.headers_path
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def expected(self) -> dict[str, Any]:
        return json.loads(self.expected_path.read_text(encoding="utf-8"))


def cases(root: Path = GOLDEN_DIR) -> list[Case]:
    return [Case(path.parent.name, path.stem, path)
            for path in sorted(root.glob("*/*.html"))]


def run_case(case: Case) -> dict[str, Any]:
    """The extractor's output for a fixture, in the JSON shape stored next to it."""
    outlets = load_config().outlets
    url = case.expected()["url"]
    rules = outlets[case.outlet].extract if case.outlet in outlets else None
    outlet = case.outlet if case.outlet in outlets else ""
    article, reason = extract_detailed(case.html.read_bytes(), url, case.headers(), rules, outlet)
    if article is None:
        return {"url": url, "article": None, "reason": reason}
    return article.to_dict()


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def regen(root: Path = GOLDEN_DIR) -> int:
    for case in cases(root):
        _write(case.expected_path, run_case(case))
    return 0


def capture(root: Path = GOLDEN_DIR) -> None:
    """Render the CAPTURES from the mirror into html + headers + a stub json with the URL."""
    from crawler.dev.mirror import DEFAULT_ORIGINS, render_article
    from crawler.dev.mirror.corpus import _load_raw, article_from_dict

    records = {raw.get("key"): (outlet, raw) for outlet in ("centcomcitadel", "maseer", "alqaed")
               for _, raw in _load_raw(outlet)}
    for outlet, name, key, overrides in CAPTURES:
        record = {**records[key][1], **overrides, "key": f"{key}-golden-{name}"}
        if "dates" in overrides:
            record["dates"] = {**records[key][1].get("dates", {}), **overrides["dates"]}
        body, headers = render_article(outlet, record, today=CAPTURE_TODAY)
        folder = root / outlet
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.html").write_bytes(body)
        keep = {k: v for k, v in headers.items() if k.lower() in ("content-type",)}
        _write(folder / f"{name}.headers.json", keep)
        truth = article_from_dict(outlet, record)
        url = _article_url(outlet, DEFAULT_ORIGINS[outlet], truth, body)
        _write(folder / f"{name}.json", {"url": url})


def _article_url(outlet: str, origin: str, article: Any, body: bytes) -> str:
    """The page's own canonical link: the URL the mirror serves it under."""
    import re

    match = re.search(rb'<link rel="canonical" href="([^"]+)"', body)
    return match.group(1).decode("ascii", "replace") if match else f"{origin}/{article.key}"


def check(root: Path = GOLDEN_DIR) -> int:
    status = 0
    for case in cases(root):
        got, want = run_case(case), case.expected()
        diff = {k for k in set(got) | set(want) if got.get(k) != want.get(k)}
        if diff:
            status = 1
            print(f"{case.outlet}/{case.name}: differs in {', '.join(sorted(diff))}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Golden extraction fixtures.",
                                     epilog="example: python -m crawler.dev.golden --regen")
    parser.add_argument("--regen", action="store_true", help="rewrite the expected JSON")
    parser.add_argument("--capture", action="store_true",
                        help="re-render the mirror-based pages first (implies --regen)")
    args = parser.parse_args(argv)
    if args.capture:
        capture()
        return regen()
    if args.regen:
        return regen()
    return check()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
