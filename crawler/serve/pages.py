"""The web view's own pages (routes registered by plugins/rasad_pages.py): the article page,
the search form and the partnership map. Each reads the store through storage/ on Datasette's
read-only connection and renders a template of crawler/serve/templates/."""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from crawler.serve.cells import direction
from crawler.serve.diff import diff_blocks
from storage.article_view import article_detail, partnership_pairs
from storage.filters import FilterError, known_outlets, known_topics, parse_filter
from storage.search import search
from storage.search_query import QueryError

PAGE_SIZE = 50
_MARK = ("**", "**")


@dataclass(frozen=True)
class Gazetteer:
    """What the web view needs of the topics file (RASAD_TOPICS or config/topics.toml)."""

    names: dict[str, list[str]] = field(default_factory=dict)  # country → names (filters)
    countries: dict[str, str] = field(default_factory=dict)  # country → Arabic display name
    states: dict[str, str] = field(default_factory=dict)  # US state → Arabic display name
    partners: dict[str, list[str]] = field(default_factory=dict)  # state → SPP partners
    source: str = "the topics file (unreadable)"


@cache
def gazetteer() -> Gazetteer:
    """Empty when the file cannot be read: the web view still works with codes and English
    names."""
    try:
        from crawler.settings import RASAD_TOPICS
        from crawler.topics import load_rules

        rules = load_rules(RASAD_TOPICS or None)
    except Exception:
        return Gazetteer()
    return Gazetteer({c: [x.name, *x.names] for c, x in rules.countries.items()},
                     {c: x.name for c, x in rules.countries.items()},
                     {c: x.name for c, x in rules.states.items()},
                     {c: list(x.partners) for c, x in rules.states.items()}, str(rules.path))


def article_context(conn: Any, article_id: int) -> dict[str, Any] | None:
    detail = article_detail(conn, article_id)
    if detail is None:
        return None
    art = detail["article"]
    body = art.get("body") or ""
    detail["paragraphs"] = [p for p in body.split("\n") if p.strip()]
    detail["dir"] = direction(f"{art.get('title') or ''} {body}")
    diffs = []
    versions = detail["versions"]
    for prev, cur in zip(versions, versions[1:], strict=False):
        diffs.append({"from": prev, "to": cur, "blocks": diff_blocks(prev["body"], cur["body"]),
                      "title_changed": prev["title"] != cur["title"]})
    detail["diffs"] = list(reversed(diffs))  # newest change first
    g = gazetteer()
    detail["country_names"], detail["state_names"] = g.countries, g.states
    return detail


def search_context(conn: Any, args: dict[str, Any]) -> dict[str, Any]:
    """The form's choices, the results of the query, or the error to show."""
    outlets = [o for value in args.get("outlet", []) for o in value.split(",") if o.strip()]
    form = {"q": args.get("q", ""), "outlets": outlets, "since": args.get("since", ""),
            "until": args.get("until", ""), "topic": args.get("topic", ""),
            "country": args.get("country", "")}
    try:
        page = max(1, int(args.get("page") or 1))
    except ValueError:
        page = 1
    ctx: dict[str, Any] = {"form": form, "all_outlets": known_outlets(conn),
                           "all_topics": known_topics(conn), "hits": None, "error": None,
                           "page": page, "page_size": PAGE_SIZE}
    if not form["q"].strip():
        if any(form[k] for k in ("outlets", "since", "until", "topic", "country")):
            ctx["error"] = "Type words to search for (the filters narrow a search)."
        return ctx
    g = gazetteer()
    try:
        where = parse_filter(outlets, form["since"], form["until"], form["topic"],
                             form["country"], gazetteer=g.names, source=g.source)
        unknown = [o for o in where.outlets if o not in ctx["all_outlets"]]
        if unknown:  # a typo in the URL: say so (as the CLI does), not "no article matches"
            raise FilterError(f"unknown outlet {', '.join(unknown)!r} "
                              f"(known: {', '.join(ctx['all_outlets']) or 'none'})")
        if where.topic and where.topic not in ctx["all_topics"]:
            raise FilterError(f"unknown topic {where.topic!r} "
                              f"(known: {', '.join(ctx['all_topics']) or 'none'})")
        hits = search(conn, form["q"], where, limit=PAGE_SIZE + 1,
                      offset=(page - 1) * PAGE_SIZE, mark=_MARK)
    except (FilterError, QueryError) as exc:
        ctx["error"] = str(exc)
        return ctx
    ctx["more"] = len(hits) > PAGE_SIZE
    ctx["hits"] = hits[:PAGE_SIZE]
    ctx["resolved_country"] = where.country
    ctx["cli"] = _cli(form)
    return ctx


def _cli(form: dict[str, Any]) -> str:
    """The `rasad search` command that gives the same results."""
    words = ["rasad", "search", form["q"]]
    for outlet in form["outlets"]:
        words += ["--outlet", outlet]
    for key in ("since", "until", "topic", "country"):
        if form[key]:
            words += [f"--{key}", form[key]]
    return shlex.join(words)


def partnership_context(conn: Any) -> dict[str, Any]:
    """The pairs, each marked when the topics file lists it as a State Partnership Program
    pair, and the same counts as a state × country matrix (the "map")."""
    g = gazetteer()
    pairs = partnership_pairs(conn)
    for p in pairs:
        p["spp"] = p["country"] in g.partners.get(p["state"], [])
    totals_s: dict[str, int] = {}
    totals_c: dict[str, int] = {}
    for p in pairs:
        totals_s[p["state"]] = totals_s.get(p["state"], 0) + p["articles"]
        totals_c[p["country"]] = totals_c.get(p["country"], 0) + p["articles"]
    states = sorted(totals_s, key=lambda k: (-totals_s[k], k))
    countries = sorted(totals_c, key=lambda k: (-totals_c[k], k))
    cells = {(p["state"], p["country"]): p for p in pairs}
    peak = max((p["articles"] for p in pairs), default=1)
    return {"pairs": pairs, "country_names": g.countries, "state_names": g.states,
            "matrix_states": states, "matrix_countries": countries, "cells": cells,
            "peak": peak}
