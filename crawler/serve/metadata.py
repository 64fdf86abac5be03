"""Datasette metadata for `rasad serve`: titles and descriptions, the normalised search, canned
queries and the weekly-counts dashboard (datasette-dashboards, vega-lite served locally)."""
from __future__ import annotations

from typing import Any

from storage.search_query import RANK

ARTICLE_COLUMNS = {
    "id": "integer key",
    "outlet": "outlet id from config/outlets.toml",
    "url": "the URL the article was fetched from",
    "canonical_url": "the canonical URL (unique); every alias is in article_urls",
    "title": "headline as published",
    "body": "article text, paragraphs separated by newlines, without clutter",
    "published": "publication date (ISO)",
    "published_source": "where the date came from: meta, jsonld, theme, url, text, hijri",
    "first_seen": "UTC time of the first crawl that met the article",
    "last_seen": "UTC time of the latest crawl that met it",
    "story_id": "the story: the first stored article of it (reprints and copies share it)",
    "run_id": "the crawl_runs row that stored it",
}

# Optional filters: an empty form field means "any". They read the narrow covering index of
# 0004_search_filter.sql (x), and snippets are cut for the 100 best rows only.
_FILTERS = """
      and (:outlet = '' or x.outlet = :outlet)
      and (:since = '' or x.published >= :since)
      and (:until = '' or x.published < date(:until, '+1 day'))
      and (:topic = '' or exists (select 1 from article_topics t
           where t.article_id = x.id and t.topic = :topic and t.matched))
      and (:country = '' or exists (select 1 from article_topics t, json_each(t.countries) c
           where t.article_id = x.id and c.key = upper(:country)))"""

SEARCH_SQL = f"""select a.id, a.published, a.outlet, a.title,
  rasad_snippet(a.title, a.body, :q) as snippet, a.url
from (select articles_fts.rowid as id, {RANK} as rank
      from articles_fts join articles x indexed by articles_search_filter
        on x.id = articles_fts.rowid
      where articles_fts match rasad_query(:q){_FILTERS}
      order by rank limit 100) as top
join articles a on a.id = top.id
order by top.rank"""

QUERIES = {
    "search": {
        "title": "Search articles (Arabic-aware)",
        "description": "Words are folded like `rasad search`: diacritics, tatweel, hamza "
                       "forms, ى/ي, ة/ه and Persian letters are ignored, proclitics are "
                       "optional and names match their spelling variants. \"quoted\" = exact, "
                       "word* = prefix, a OR b, -word excludes. Leave a filter empty for any; "
                       "dates are YYYY-MM-DD; country is an ISO code (KW).",
        "sql": SEARCH_SQL,
        "params": ["q", "outlet", "since", "until", "topic", "country"],
    },
    "partnership_by_week": {
        "title": "Partnership articles by week",
        "description": "Articles that matched the partnership topic, per week (Monday) and "
                       "outlet; stories count reprints once.",
        "sql": "select week, outlet, articles, stories from weekly_topic_counts "
               "where topic = 'partnership' order by week desc, outlet",
    },
    "partnership_by_outlet": {
        "title": "Partnership articles by outlet",
        "sql": "select outlet, count(*) as articles, count(distinct story_id) as stories, "
               "min(published) as first_published, max(published) as last_published "
               "from partnership_articles group by outlet order by articles desc",
    },
    "partnership_by_country": {
        "title": "Partnership articles by country",
        "description": "Countries the topic gazetteers found in partnership articles (ISO codes).",
        "sql": "select country, count(*) as articles, sum(mentions) as mentions "
               "from article_countries where partnership group by country "
               "order by articles desc, country",
    },
}


def _bar_chart(title: str, query: str) -> dict[str, Any]:
    return {
        "title": title,
        "db": None,  # filled in by metadata()
        "query": query,
        "library": "vega-lite",
        "display": {
            # SVG, so the bars are elements with readable labels (and testable).
            "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {"field": "week", "type": "ordinal", "title": "week (Monday)"},
                "y": {"field": "articles", "type": "quantitative", "aggregate": "sum",
                      "title": "articles"},
                "color": {"field": "outlet", "type": "nominal"},
            },
        },
    }


def metadata(db_name: str) -> dict[str, Any]:
    charts = {
        "topic-weekly": _bar_chart(
            "Articles matching the topic, per week and outlet",
            "select week, outlet, articles from weekly_topic_counts where topic = :topic "
            "order by week"),
        "all-weekly": _bar_chart(
            "All stored articles, per week and outlet",
            "select week, outlet, articles from weekly_outlet_counts order by week"),
    }
    for chart in charts.values():
        chart["db"] = db_name
    return {
        "title": "rasad (رصد)",
        "description_html": (
            "Arabic-language news on security and defence partnerships. "
            f'<a href="/{db_name}/search">Search</a> (Arabic-aware) · '
            f'<a href="/-/dashboards/weekly?topic=partnership">Weekly charts</a> · '
            f'<a href="/{db_name}/partnership_articles">Partnership articles</a>'),
        "databases": {
            db_name: {
                "description": "The rasad store (read-only view).",
                "tables": {
                    "articles": {
                        "description": "One row per article. The search box folds Arabic "
                                       "like rasad search.",
                        "columns": ARTICLE_COLUMNS,
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "sort_desc": "published",
                        "label_column": "title",
                    },
                    "article_urls": {"description": "Every URL an article was reached by "
                                                    "(the crawler never fetches these again)."},
                    "article_topics": {"description": "Each article's verdict per topic: "
                                                      "matched, score, why, and the countries "
                                                      "and US states named (JSON)."},
                    "article_versions": {"description": "Every text of an article that "
                                                        "changed after it was first stored."},
                    "crawl_runs": {"description": "One row per crawl of one outlet: outcome, "
                                                  "requests, new articles, errors."},
                    "articles_fts": {"hidden": True},
                    "search_pending": {"hidden": True},
                    "partnership_articles": {
                        "description": "Articles that matched the partnership topic.",
                        "sort_desc": "published",
                    },
                    "weekly_outlet_counts": {"description": "Articles per week and outlet."},
                    "weekly_topic_counts": {
                        "description": "Articles that matched each topic, per week and outlet."},
                    "article_countries": {
                        "description": "Countries named in each article (topic gazetteers)."},
                },
                "queries": QUERIES,
            }
        },
        "plugins": {
            "datasette-dashboards": {
                "weekly": {
                    "title": "Weekly counts",
                    "description": "Articles per week (Monday), per outlet: those matching a "
                                   "topic, and all stored articles.",
                    "filters": {
                        "topic": {"name": "Topic", "type": "select", "db": db_name,
                                  "query": "select distinct topic from article_topics "
                                           "order by topic",
                                  "default": "partnership"},
                    },
                    "charts": charts,
                }
            }
        },
    }
