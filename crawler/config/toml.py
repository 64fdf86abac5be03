"""Reading rasad's TOML files (outlets, topics, alerts) with errors that name the file and key."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError


def read_toml(path: Path, error: type[Exception], what: str = "config file") -> dict[str, Any]:
    """The parsed file, or `error` saying which file is missing or not valid TOML."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None


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
