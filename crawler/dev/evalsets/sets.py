"""Loaders of the public evaluation sets: each page as bytes, URL and its ground truth."""
from __future__ import annotations

import ast
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Case = dict[str, Any]  # id, url, data (bytes), and the set's truth fields


def kind_of(root: Path) -> str | None:
    """Which set a snapshot directory holds, from its files."""
    if (root / "ground-truth.json").is_file() and (root / "html").is_dir():
        return "scrapinghub"
    if (root / "tests/resources/parser/test_data").is_dir():
        return "fundus"
    if (root / "tests/evaldata.json").is_file():
        return "trafilatura"
    if (root / "tests/eval_default.json").is_file():
        return "htmldate"
    return None


def scrapinghub(root: Path) -> Iterator[Case]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        path = root / "html" / f"{key}.html.gz"
        if path.is_file():
            yield {"id": key, "url": item.get("url") or "", "data": gzip.decompress(
                path.read_bytes()), "body": item.get("articleBody") or ""}


def _literal(value: Any) -> Any:
    # Fundus stores some fields as Python literals inside JSON strings.
    if isinstance(value, str):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def _fundus_body(body: Any) -> str:
    body = _literal(body)
    if not isinstance(body, dict):
        return str(body or "")
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n".join(parts)


def fundus(root: Path) -> Iterator[Case]:
    base = root / "tests/resources/parser/test_data"
    for case_file in sorted(base.glob("*/*.json")):
        meta_file = case_file.parent / "meta.info"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
        cases = json.loads(case_file.read_text(encoding="utf-8"))
        pages = sorted(case_file.parent.glob(case_file.stem + "_*.html.gz"))
        # A publisher's parser versions are chronological, as are its pages' crawl dates.
        for version, path in zip(cases, pages, strict=False):
            case = cases[version]
            date = case.get("publishing_date")
            authors = _literal(case.get("authors")) or []
            yield {"id": f"{case_file.parent.name}/{path.name}",
                   "url": meta.get(path.name, {}).get("url", ""),
                   "data": gzip.decompress(path.read_bytes()),
                   "body": _fundus_body(case.get("body")), "title": case.get("title"),
                   "date": str(date)[:10] if date else None,
                   "authors": [str(a) for a in authors] if isinstance(authors, list) else []}


def _find(base: Path, name: str, subdirs: tuple[str, ...]) -> Path | None:
    for sub in subdirs:
        if (base / sub / name).is_file():
            return base / sub / name
    return None


def trafilatura(root: Path) -> Iterator[Case]:
    base = root / "tests"
    data = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    for url, item in sorted(data.items()):
        path = _find(base, item["file"], ("cache", "eval"))
        if path is not None:
            yield {"id": item["file"], "url": url, "data": path.read_bytes(),
                   "with": item["with"], "without": item["without"]}


def htmldate(root: Path) -> Iterator[Case]:
    base = root / "tests"
    for name in ("eval_mediacloud_2020.json", "eval_default.json"):
        if not (base / name).is_file():
            continue
        data = json.loads((base / name).read_text(encoding="utf-8"))
        for url, item in sorted(data.items()):
            path = _find(base, item["file"], ("test_set", "cache", "eval"))
            if path is not None:
                yield {"id": f"{name}:{item['file']}", "url": url, "data": path.read_bytes(),
                       "date": item.get("date")}


LOADERS = {"scrapinghub": scrapinghub, "fundus": fundus, "trafilatura": trafilatura,
           "htmldate": htmldate}
