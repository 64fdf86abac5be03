"""`rasad topics backtest | explain`: a topic rule over the stored history, and why one article
matched or not."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from crawler.cli import main
from crawler.cli.filtering import DateParam, check_known
from crawler.cli.options import db_option, topics_option


def _topics(path: str | None) -> dict[str, Any]:
    from crawler.topics import TopicConfigError, load_topics

    try:
        return load_topics(path)
    except TopicConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _db(db_path: str) -> Any:
    from storage.db import connect_readonly

    try:
        db = connect_readonly(db_path)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    if not db["article_topics"].exists():
        raise click.ClickException(f"{db_path}: no article_topics table: a store older than "
                                   "topics (any writing command brings it up to date)")
    return db


@main.group()
def topics() -> None:
    """Topic rules (config/topics.toml) against stored articles.

    \b
    Example:
        rasad topics explain https://maseer.net/archives/12345 --db rasad.db
    """


@topics.command()
@click.argument("topic_id", metavar="[TOPIC]", required=False, default="partnership")
@db_option
@topics_option
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False, exists=False),
              help="Score TOPIC on a labelled JSON Lines file (title, text, label) instead of "
                   "the store: precision, recall, every miss and false alarm with its reason.")
@click.option("--split", help="With --labels: only rows whose `split` is this (e.g. holdout).")
@click.option("--since", type=DateParam(), metavar="DATE",
              help="Only articles published on or after DATE (YYYY-MM-DD, or 7d / 2w back; "
                   "undated articles count by the day they were first seen).")
@click.option("--outlet", help="Only this outlet.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table, or json: one object per matching article "
                                      "(with --labels: one report object).")
def backtest(topic_id: str, db_path: str, topics_path: str | None, labels_path: str | None,
             split: str | None, since: date | None, outlet: str | None, fmt: str) -> None:
    """Run TOPIC's rule (default: partnership) over the stored articles and show the alerts it
    would have sent; then score it on the readers' verdicts (`rasad alerts feedback`), listing
    the rule groups that fired on the alerts marked wrong. With --labels, score it on a
    labelled file instead (real news kept outside the repository).

    One alert per story (a reprint or URL variant of a story adds none); the outlets' first-crawl
    baseline is ignored. Articles whose verdict differs from the one stored at crawl time (the
    rules changed since) are marked "changed".

    \b
    Examples:
        rasad topics backtest partnership --db rasad.db
        rasad topics backtest partnership --since 2025-07-01 --format json
        rasad topics backtest --labels ../eval/topics/real.jsonl --split holdout
    """
    rules = _topics(topics_path)
    if topic_id not in rules:
        raise click.ClickException(f"unknown topic {topic_id!r} (known: {', '.join(rules)})")
    topic = rules[topic_id]
    if labels_path:
        from crawler.cli.backtest_report import labels_report

        labels_report(topic, labels_path, split, fmt)
        return
    from crawler.cli.backtest_report import feedback_report, store_report

    db = _db(db_path)
    check_known(db, (outlet,) if outlet else (), None)
    store_report(db, topic, since.isoformat() if since else None, outlet, fmt)
    feedback_report(db, topic, fmt)


@topics.command()
@click.argument("url")
@db_option
@topics_option
@click.option("--topic", "topic_id", help="Only this topic (default: every topic).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text, or json: one object per topic.")
def explain(url: str, db_path: str, topics_path: str | None, topic_id: str | None,
            fmt: str) -> None:
    """Why the stored article at URL matched a topic or not: score, threshold, the terms found
    (as the article wrote them), countries and US states, exclusions, failed requirements; then
    the verdict stored at crawl time and the alerts sent for its story.

    URL may be any URL the article was reached by (tracking parameters, slug variants…).

    \b
    Example:
        rasad topics explain https://www.centcomcitadel.com/ar/articles/ssc/features/2025/07/10/feature-01
    """
    from storage.alerts import article_by_url, story_alerts, story_of, topic_rows

    rules = _topics(topics_path)
    if topic_id and topic_id not in rules:
        raise click.ClickException(f"unknown topic {topic_id!r} (known: {', '.join(rules)})")
    db = _db(db_path)
    art = article_by_url(db, url_candidates(url))
    if art is None:
        raise click.ClickException(f"not in the store {db_path}: {url} (explain reads stored "
                                   "articles: crawl the outlet first)")
    stored = topic_rows(db, art["id"])
    story = story_of(db.conn, art["id"])
    sent = story_alerts(db, story)
    chosen = [rules[topic_id]] if topic_id else list(rules.values())
    if fmt == "text":
        click.echo(art["title"])
        click.echo(f"{art['url']}  (article {art['id']}, story {story}, {art['outlet']}, "
                   f"published {art['published'] or '?'})")
    for topic in chosen:
        m = topic.match(art["title"] or "", art["body"] or "")
        was = stored.get(topic.id)
        alerts = [a for a in sent if a["topic"] == topic.id]
        if fmt == "json":
            click.echo(json.dumps({"url": art["url"], "article_id": art["id"], "story_id": story,
                                   **m.to_dict(), "stored": was, "alerts": alerts},
                                  ensure_ascii=False, default=str))
            continue
        verdict = "MATCHED" if m.matched else "not matched"
        click.echo(f"\ntopic {topic.id} ({topic.label}): {verdict} — score {m.score:.1f}, "
                   f"threshold {m.threshold:.1f}")
        for line in m.reasons[1:]:
            click.echo(f"  {line}")
        if was is not None:
            click.echo(f"  stored at crawl time ({was['classified']}): "
                       f"{'matched' if was['matched'] else 'not matched'}, score {was['score']}")
        for a in alerts:
            click.echo(f"  alert to {a['channel']}: {a['status']}"
                       + (f" {a['sent']}" if a["sent"] else "")
                       + ("" if a["article_id"] == art["id"]
                          else f" (via article {a['article_id']} of the same story)"))


def url_candidates(url: str) -> list[str]:
    """The URL as given, canonicalised, and canonicalised with each outlet's own URL rules."""
    from crawler.config.outlets import ConfigError, load_config
    from crawler.links.urls import canonical

    found = [url.strip(), canonical(url)]
    try:
        found += [canonical(url, o.url_rules) for o in load_config(None, {}).outlets.values()]
    except (ConfigError, OSError):
        pass  # no outlets file here: the plain forms still find most articles
    return list(dict.fromkeys(found))
