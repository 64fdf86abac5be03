"""`rasad serve`: Datasette on the store, read-only, with rasad's search, queries and charts."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = HERE / "templates"  # rasad's pages and Datasette's _table.html, overridden
STATIC_DIR = HERE / "static"

SETTINGS = {
    # A shared two-core machine: leave room for a slow search on a large store.
    "sql_time_limit_ms": "3000",
    "default_page_size": "50",
    # The article list's topic and country facets read a JSON array per article (0.2 s at
    # 20,000 articles, crawler/serve/facets.py); Datasette's default 200 ms would drop them.
    # Beyond the limit a facet says it timed out and the list still shows.
    "facet_time_limit_ms": "1000",
    # Guessing facets tries every column three ways (up to 50 ms each): over a second per page
    # at 20,000 articles. The useful facets are configured in the metadata instead.
    "suggest_facets": "off",
}


def datasette_args(db_path: str | Path, metadata_path: str | Path, host: str,
                   port: int) -> list[str]:
    """Arguments for `datasette serve`. Datasette opens a mutable file with mode=ro for every
    query, so the web view cannot change the store."""
    args = ["serve", str(db_path), "--metadata", str(metadata_path),
            "--plugins-dir", str(PLUGINS_DIR), "--template-dir", str(TEMPLATES_DIR),
            "--static", f"rasad-static:{STATIC_DIR}", "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        args += ["--setting", key, value]
    return args


def run(db_path: str | Path, host: str, port: int, *, feedback: bool = False) -> None:
    """Serve until interrupted (blocks)."""
    from datasette.cli import cli

    from crawler.serve.metadata import metadata

    db_name = Path(db_path).stem  # Datasette names a database after its file
    with tempfile.TemporaryDirectory(prefix="rasad-serve-") as tmp:
        meta = Path(tmp) / "metadata.json"
        doc = metadata(db_name)
        # Read by the plugin: whether the article page may record readers' alert verdicts.
        doc["plugins"]["rasad"] = {"feedback": feedback}
        meta.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        cli.main(datasette_args(db_path, meta, host, port), prog_name="rasad serve",
                 standalone_mode=False)
