"""Reading rasad's TOML files (outlets, topics, alerts) with errors that name the file and key."""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

T = TypeVar("T")
# Files read by the load under way (see `memoized`), or None outside one.
_reads: list[tuple[Path, bytes]] | None = None
_memo: dict[Hashable, tuple[tuple[tuple[Path, bytes], ...], Any]] = {}


def read_toml(path: Path, error: type[Exception], what: str = "config file") -> dict[str, Any]:
    """The parsed file, or `error` saying which file is missing or not valid TOML."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    if _reads is not None:
        _reads.append((path, data))
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None


def memoized(key: Hashable, load: Callable[[], T]) -> T:
    """`load()`, or what it returned last time for `key` if every file it read then still has
    the same bytes. A crawl reads the outlets and alerts files once per spider and listener
    (~10 loads before its first request); validating them again each time cost ~30 ms. What
    comes back is shared: callers do not modify it. Errors are not remembered."""
    global _reads
    entry = _memo.get(key)
    if entry is not None and all(_same(path, data) for path, data in entry[0]):
        return entry[1]
    outer, _reads = _reads, []
    try:
        value = load()
    finally:
        reads, _reads = _reads, outer
    if outer is not None:  # an overlay's load includes its base file's
        outer.extend(reads)
    if reads:  # (a default file that is missing is read again: it may appear)
        _memo[key] = (tuple(reads), value)
    return value


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def format_validation_error(path: Path | str, where: str, exc: ValidationError) -> str:
    """One line per problem: '<file>: <where>: key '<dotted.key>': <what is wrong>'."""
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(table)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "missing required key"
        lines.append(f"{path}: {where}: key {key!r}: {msg}")
    return "\n".join(lines)
