"""How requests travel through the shared queue: JSON, not scrapy-redis's default pickle (a
pickle read from a shared Redis would run whatever code anyone who can write to it put there).
Bytes (bodies, header names and values) are tagged base64; tuples come back as lists."""
from __future__ import annotations

import base64
import json
from typing import Any


def _pack(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _pack(v) for k, v in value.items()}
        return {"__pairs__": [[_pack(k), _pack(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_pack(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_pack(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in the shared queue: {value!r}")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "__b64__" in obj:
        return base64.b64decode(obj["__b64__"])
    if len(obj) == 1 and "__pairs__" in obj:
        return {k: v for k, v in obj["__pairs__"]}
    return obj


def dumps(obj: Any) -> bytes:
    # Keys sorted: the same request encodes to the same bytes (the queue is a sorted set).
    return json.dumps(_pack(obj), ensure_ascii=False, sort_keys=True).encode()


def loads(data: bytes | str) -> Any:
    return json.loads(data, object_hook=_hook)
