"""Datasette plugin (loaded by `rasad serve` with --plugins-dir): wires Datasette's searches to
rasad's normalised index.

- SQL functions on every connection: `rasad_normalize(text)`, `rasad_query(q)` (the FTS5
  expression for a user query), `rasad_snippet(title, body, q)` (a passage of the ORIGINAL text
  with matches in **…**). The canned query `search` uses them.
- The table search box (`/db/articles?_search=…`) goes through Datasette's `escape_fts()`; this
  plugin replaces that function (trylast: after Datasette's own registration) with rasad's query
  builder, so the box folds Arabic like `rasad search`.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

from storage.arabic import normalize
from storage.search_query import QueryError, fts_expression, parse
from storage.snippets import snippet

_NOTHING = '""'  # an FTS5 expression that matches no row (an empty or unsearchable query)
_MARK = ("**", "**")


def rasad_query(query: str | None) -> str:
    try:
        return fts_expression(query or "")
    except QueryError:
        return _NOTHING


def rasad_snippet(title: str | None, body: str | None, query: str | None) -> str | None:
    try:
        parsed = parse(query or "")
    except QueryError:
        return None
    text = snippet(body or "", parsed, 30, _MARK)
    if _MARK[0] not in text:  # matched in the title only
        text = snippet(title or "", parsed, 30, _MARK)
    return text


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    conn.create_function("rasad_normalize", 1, lambda t: normalize(t) if t else t,
                         deterministic=True)
    conn.create_function("rasad_query", 1, rasad_query, deterministic=True)
    conn.create_function("rasad_snippet", 3, rasad_snippet, deterministic=True)
    if database not in ("_memory", "_internal"):
        conn.create_function("escape_fts", 1, rasad_query, deterministic=True)
