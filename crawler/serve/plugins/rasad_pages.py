"""Datasette plugin (loaded by `rasad serve` with --plugins-dir): rasad's own pages and how
cells look in every list.

- Routes: `/-/article/<id>` (the article page; with `rasad serve --feedback` its alerts take a
  reader's verdict, POSTed to `/-/alert/<id>/feedback`: the web view's one write),
  `/<db>/search` (search without SQL: the shared parser of storage/filters.py and the ranking
  of `rasad search`), `/-/partnerships` (US state ↔ partner country pairs).
- Cells: Arabic text in its own direction, bodies cut to snippets, URLs as short links, titles
  linked to the article page, country and state codes with their names.
- Lists: rasad.css (fits a 1280 px screen), column descriptions folded away, the article
  table's internal columns left out unless asked for (`?_col=`).
"""
from __future__ import annotations

import asyncio
from typing import Any

from datasette import Response, hookimpl
from markupsafe import Markup

from crawler.serve import cells, pages
from storage.countries import STATES_EN, country_label

# Columns of `articles` that are the machinery's, not the reader's: shown only when the URL asks
# for columns (?_col=…) — they stay queryable.
INTERNAL_COLUMNS = {"canonical_url", "content_hash", "fingerprint", "run_id", "tags",
                    "date_flags", "image", "last_fetched", "source_modified", "updated",
                    "last_seen", "language", "published_source", "author", "section",
                    "caption", "version"}
TEXT_COLUMNS = {"title", "caption", "section", "author", "first_title", "latest_title"}
BODY_COLUMNS = {"body"}
URL_COLUMNS = {"url", "canonical_url", "image"}
ARTICLE_ID_COLUMNS = {"article_id", "story_id", "first_id", "latest_id"}


def _db(datasette: Any) -> Any:
    return datasette.get_database()


async def article_page(request: Any, datasette: Any) -> Response:
    article_id = int(request.url_vars["id"])
    db = _db(datasette)
    ctx = await db.execute_fn(lambda conn: pages.article_context(conn, article_id))
    if ctx is None:
        return Response.html(await datasette.render_template(
            "error.html", {"ok": False, "error": f"No article {article_id} in this store",
                           "title": "Not found", "status": 404}, request=request), status=404)
    ctx["database"] = db.name
    ctx["feedback"] = _feedback_on(datasette)
    return Response.html(await datasette.render_template("rasad_article.html", ctx,
                                                         request=request))


def _feedback_on(datasette: Any) -> bool:
    return bool((datasette.plugin_config("rasad") or {}).get("feedback"))


async def alert_feedback(request: Any, datasette: Any) -> Response:
    """A reader's verdict on one alert (the article page's right/wrong buttons), written with
    the same storage call as `rasad alerts feedback`; Datasette checks the form's CSRF token."""
    from storage.db import connect
    from storage.feedback import UnknownAlert, record_feedback

    if request.method != "POST":
        return Response.text("POST a verdict (right or wrong)", status=405)
    if not _feedback_on(datasette):
        return Response.text("feedback is off: start rasad serve with --feedback", status=403)
    alert_id = int(request.url_vars["id"])
    form = await request.post_vars()
    note = (form.get("note") or "").strip()[:1000] or None
    path = _db(datasette).path

    def write() -> None:
        db = connect(path)
        try:
            record_feedback(db, alert_id, form.get("verdict", ""), note)
        finally:
            db.conn.close()

    try:
        await asyncio.to_thread(write)
    except UnknownAlert:
        return Response.text(f"no alert {alert_id}", status=404)
    except ValueError as exc:
        return Response.text(str(exc), status=400)
    article = form.get("article", "")
    return Response.redirect(f"/-/article/{int(article)}" if article.isdigit() else "/")


async def search_page(request: Any, datasette: Any) -> Response:
    name = request.url_vars["db"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        return Response.text("Not found", status=404)
    args = {k: request.args.get(k, "") for k in ("q", "since", "until", "topic", "country",
                                                  "page")}
    args["outlet"] = request.args.getlist("outlet")
    ctx = await db.execute_fn(lambda conn: pages.search_context(conn, args))
    ctx["database"] = name
    return Response.html(await datasette.render_template("rasad_search.html", ctx,
                                                         request=request),
                         status=400 if ctx["error"] and ctx["form"]["q"] else 200)


async def partnerships_page(request: Any, datasette: Any) -> Response:
    db = _db(datasette)
    ctx = await db.execute_fn(pages.partnership_context)
    ctx["database"] = db.name
    return Response.html(await datasette.render_template("rasad_partnerships.html", ctx,
                                                         request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/article/(?P<id>\d{1,18})$", article_page),
        (r"^/-/partnerships$", partnerships_page),
        (r"^/-/alert/(?P<id>\d{1,18})/feedback$", alert_feedback),
        (r"^/(?P<db>[^/.-][^/.]*)/search$", search_page),
    ]


@hookimpl
def register_facet_classes() -> list[type]:
    from crawler.serve.facets import CodesFacet

    return [CodesFacet]


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/rasad-static/rasad.css"]


@hookimpl
def extra_body_script(template: str) -> str:
    if template != "table.html":
        return ""
    # Column descriptions are reference material: folded under the table's title.
    return """
document.querySelectorAll('dl.column-descriptions').forEach(function (dl) {
  var d = document.createElement('details'); d.className = 'rasad-columns';
  var s = document.createElement('summary'); s.textContent = 'Column descriptions';
  dl.parentNode.insertBefore(d, dl); d.appendChild(s); d.appendChild(dl);
});"""


def column_order(columns: list[dict[str, Any]], table: str | None, args: Any) -> list[int]:
    """Indexes of the columns to show, title first: what _table.html iterates."""
    chosen = args.getlist("_col") if args is not None else []
    shown = [i for i, c in enumerate(columns)
             if chosen or table != "articles" or c["name"] not in INTERNAL_COLUMNS]
    first = [i for i in shown if columns[i]["name"] == "title"]
    return first + [i for i in shown if i not in first]


@hookimpl
def extra_template_vars(request: Any, table: str | None) -> dict[str, Any]:
    args = request.args if request is not None else None
    return {"rasad_order": lambda cols: column_order(cols, table, args),
            "rasad_marked": cells.marked, "rasad_url": cells.short_url,
            "rasad_dir": cells.direction,
            "rasad_facet_label": facet_label}


def facet_label(column: str, label: Any) -> str:
    """A facet value as shown: country and state codes with their names."""
    text = "-" if label in (None, "") else str(label)
    g = pages.gazetteer()
    if column in ("country", "countries") and cells.is_code(text):
        return country_label(text, g.countries)
    if column in ("state", "states") and cells.is_code(text):
        return f"{' · '.join(n for n in (g.states.get(text), STATES_EN.get(text)) if n)} ({text})"
    return text


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None,
                database: str) -> Markup | None:
    if value is None or value == "":
        return None
    if column == "snippet" and isinstance(value, str):
        return cells.marked(value)
    if column == "title" and isinstance(value, str):
        keys = row.keys() if hasattr(row, "keys") else []
        if "id" in keys and table in (None, "articles", "article_list", "partnership_articles"):
            return cells.article_link(row["id"], value)
        if "article_id" in keys:
            return cells.article_link(row["article_id"], value)
        return cells.text_block(value)
    if column in TEXT_COLUMNS and isinstance(value, str):
        return cells.text_block(value)
    if column in BODY_COLUMNS and isinstance(value, str):
        return cells.text_block(cells.cut(value), cls="rasad-text rasad-snippet")
    if column in URL_COLUMNS and isinstance(value, str) and value.startswith(("http://",
                                                                               "https://")):
        return cells.short_url(value)
    if column in ARTICLE_ID_COLUMNS:
        # A foreign key Datasette expanded to {"value", "label"}: the id is enough here.
        target = value.get("value") if isinstance(value, dict) else value
        if isinstance(target, int):
            return Markup(f'<a href="/-/article/{target}" title="the article page">{target}</a>')
    g = pages.gazetteer()
    country_names, state_names = g.countries, g.states
    if column == "country" and cells.is_code(value):
        return cells.country_link(value, database, country_names)
    if column == "state" and cells.is_code(value):
        return cells.state_label(value, state_names)
    if column in ("countries", "states") and isinstance(value, str):
        data = cells.json_codes(value)
        if data is None:
            return None
        items = data.items() if isinstance(data, dict) else ((c, None) for c in data)
        if column == "countries":
            parts = [cells.country_link(c, database, country_names, n) for c, n in items]
        else:
            parts = [cells.state_label(c, state_names) for c, _ in items]
        return Markup(" ".join(str(p) for p in parts))
    if column == "topics" and isinstance(value, str) and value.startswith("["):
        data = cells.json_codes(value)
        return Markup(", ".join(str(cells.escape(t)) for t in data or []) or "&nbsp;")
    if column == "why" and isinstance(value, str):
        return cells.reasons(value)
    return None
