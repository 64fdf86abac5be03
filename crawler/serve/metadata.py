"""Datasette metadata for `rasad serve`: titles and descriptions, the normalised search, canned
queries and the weekly-counts dashboard (datasette-dashboards, vega-lite served locally)."""
from __future__ import annotations

from typing import Any

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

QUERIES = {
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


# Tables that are the machinery's (indexes, queues, delivery logs): hidden from the index pages,
# still queryable by name and in SQL.
INTERNAL_TABLES = (
    "article_bands", "dedup_state", "schema_migrations", "search_meta", "search_pending",
    "articles_fts", "articles_fts_config", "articles_fts_data", "articles_fts_docsize",
    "articles_fts_idx", "articles_fts_content", "validators", "retry_urls", "alert_attempts",
    "alert_deliveries", "article_urls", "article_labels",
)


def _time_chart(title: str, query: str, period: str, color: str = "outlet") -> dict[str, Any]:
    """Bars on a time axis: each bar spans its period (start → end columns of the query), so
    empty periods show as gaps and years do not run together; counts are whole numbers."""
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
                "x": {"field": period, "type": "temporal", "scale": {"type": "utc"},
                      "title": "week (Monday)" if period == "week" else "month",
                      # Month bars get one tick per month (not a repeated month name).
                      "axis": {"format": "%d %b %Y", "labelAngle": -40} if period == "week"
                      else {"format": "%b %Y", "labelAngle": -40, "tickCount": "month"}},
                "x2": {"field": "period_end"},
                "y": {"field": "articles", "type": "quantitative", "aggregate": "sum",
                      "title": "articles", "axis": {"tickMinStep": 1, "format": "d"}},
                "color": {"field": color, "type": "nominal"},
                "tooltip": [{"field": period, "type": "temporal", "scale": {"type": "utc"},
                             "format": "%Y-%m-%d"},
                            {"field": color, "type": "nominal"},
                            {"field": "articles", "type": "quantitative", "aggregate": "sum"}],
            },
        },
    }


_WEEK_END = "date(week, '+7 days') as period_end"
_MONTH = "month || '-01' as month, date(month || '-01', '+1 month') as period_end"


def metadata(db_name: str) -> dict[str, Any]:
    charts = {
        "topic-weekly": _time_chart(
            "Articles matching the topic, per week and outlet",
            f"select week, {_WEEK_END}, outlet, articles from weekly_topic_counts "
            "where topic = :topic order by week", "week"),
        "all-weekly": _time_chart(
            "All stored articles, per week and outlet",
            f"select week, {_WEEK_END}, outlet, articles from weekly_outlet_counts "
            "order by week", "week"),
        "topics-monthly": _time_chart(
            "Articles per month and topic (all outlets)",
            f"select {_MONTH}, topic, sum(articles) as articles from monthly_topic_counts "
            "group by 1, 3 order by 1", "month", color="topic"),
        "all-monthly": _time_chart(
            "All stored articles, per month and outlet",
            f"select {_MONTH}, outlet, articles from monthly_outlet_counts order by 1",
            "month"),
    }
    for chart in charts.values():
        chart["db"] = db_name
    links = (f'<a href="/{db_name}/article_list">Articles</a> · '
             f'<a href="/{db_name}/search">Search</a> (Arabic-aware) · '
             f'<a href="/{db_name}/partnership_articles">Partnership articles</a> · '
             '<a href="/-/partnerships">Partnership map</a> (US states ↔ countries) · '
             '<a href="/-/dashboards/weekly?topic=partnership">Charts</a>')
    return {
        "title": "rasad (رصد)",
        "description_html": f"Arabic-language news on security and defence partnerships. {links}",
        "databases": {
            db_name: {
                "description_html": f"The rasad store (read-only view): {links}",
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
                    **{name: {"hidden": True} for name in INTERNAL_TABLES},
                    "article_list": {
                        "title": "Articles",
                        "description": "Every stored article, newest first: title, outlet, "
                                       "date, the topics it matched and the countries and US "
                                       "states it names. Click a title for the article page.",
                        "sort_desc": "published",
                        # "codes": crawler/serve/facets.py (one pass, not
                        # Datasette's row-deduplicating array facet)
                        "facets": ["outlet", {"codes": "topics"}, {"codes": "countries"},
                                   "month"],
                        "facet_size": 6,
                        "size": 30,
                    },
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
                    "title": "Charts: articles over time",
                    "description": "Articles per week (Monday) and per month on a time axis "
                                   "(empty periods stay empty): those matching a topic (choose "
                                   "it) per outlet, all stored articles per outlet, and each "
                                   "topic per month.",
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
