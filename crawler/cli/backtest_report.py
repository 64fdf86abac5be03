"""What `rasad topics backtest` prints: a topic over the store, over the readers' verdicts, or
over a labelled file."""
from __future__ import annotations

import json
from typing import Any

import click


def store_report(db: Any, topic: Any, since: str | None, outlet: str | None, fmt: str) -> None:
    from storage.alerts import articles_since, story_of, topic_verdicts

    stored = topic_verdicts(db, topic.id)
    scanned, changed, stories = 0, 0, set()
    matches = []
    for art in articles_since(db, since, outlet):
        scanned += 1
        m = topic.match(art["title"] or "", art["body"] or "")
        was = stored.get(art["id"])
        differs = was is not None and was != m.matched
        changed += differs
        if not m.matched:
            continue
        story = story_of(db.conn, art["id"])
        first = story not in stories
        stories.add(story)
        matches.append((art, m, story, first, differs))
    if fmt == "json":
        for art, m, story, first, differs in matches:
            click.echo(json.dumps({
                "article_id": art["id"], "story_id": story, "would_alert": first,
                "outlet": art["outlet"], "url": art["url"], "title": art["title"],
                "published": art["published"], "score": m.score, "countries": m.countries,
                "states": m.states, "reason": m.reason, "reasons": m.reasons,
                "sentences": m.sentences, "changed": differs,
            }, ensure_ascii=False))
        return
    for art, m, _, first, differs in matches:
        mark = "alert " if first else "same story"
        click.echo(f"{art['published'] or '?':<10}  {mark:<10} {m.score:>5.1f}  "
                   f"{art['outlet']:<15} {art['title']}" + ("  [changed]" if differs else ""))
        click.echo(f"{'':<35}{art['url']}")
    click.echo(f"\n{scanned} article(s) scanned, {len(matches)} match {topic.id!r} "
               f"→ {len(stories)} alert(s) per subscribed channel; "
               f"{changed} verdict(s) differ from the stored ones")


def feedback_report(db: Any, topic: Any, fmt: str) -> None:
    """Score the rule on the verdicts readers gave its alerts (right/wrong)."""
    from crawler.topics.backtest import fired, score
    from storage.feedback import feedback_rows

    rows = [r for r in feedback_rows(db) if r["topic"] == topic.id]
    if not rows:
        if fmt == "table":
            click.echo(f"no reader feedback on {topic.id!r} alerts yet "
                       "(`rasad alerts feedback ID right|wrong`)")
        return
    labelled = [{"id": f"alert {r['alert_id']}", "url": r["url"], "title": r["title"],
                 "text": r["body"], "gold": r["verdict"] == "right", "kind": r["verdict"]}
                for r in rows]
    result = score(topic, labelled)
    wrong = []
    for r in rows:
        if r["verdict"] != "wrong":
            continue
        m = topic.match(r["title"] or "", r["body"] or "")
        wrong.append({"alert_id": r["alert_id"], "url": r["url"], "note": r["note"],
                      "still_matches": m.matched, "groups": fired(m), "reason": m.reason})
    if fmt == "json":
        click.echo(json.dumps({"feedback": result.summary(), "wrong": wrong},
                              ensure_ascii=False))
        return
    s = result.summary()
    click.echo(f"\nreader feedback: {len(rows)} verdict(s); the current rule agrees with "
               f"{s['tp'] + s['tn']}: precision {s['precision']:.2f}, recall {s['recall']:.2f}")
    for w in wrong:
        now = "still matches" if w["still_matches"] else "no longer matches"
        click.echo(f"  wrong: alert {w['alert_id']} {w['url']} ({now})")
        click.echo(f"    rule groups: {', '.join(w['groups']) or '-'}; {w['reason']}")
        if w["note"]:
            click.echo(f"    note: {w['note']}")


def labels_report(topic: Any, path: str, split: str | None, fmt: str) -> None:
    from crawler.topics.backtest import LabelsError, by_kind, load_labels, score

    try:
        rows = load_labels(path, topic.id, split)
    except LabelsError as exc:
        raise click.ClickException(str(exc)) from None
    result = score(topic, rows)
    if fmt == "json":
        click.echo(json.dumps({**result.summary(), "topic": topic.id, "split": split,
                               "misses": result.misses, "false_alarms": result.false_alarms},
                              ensure_ascii=False))
        return
    s = result.summary()
    click.echo(f"{topic.id} on {path}" + (f" (split {split})" if split else "") +
               f": {s['n']} article(s), precision {s['precision']:.3f}, recall "
               f"{s['recall']:.3f} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']}, tn {s['tn']})")
    for title, entries in (("misses", result.misses), ("false alarms", result.false_alarms)):
        click.echo(f"\n{title}: {len(entries)}")
        for e in entries:
            click.echo(f"- {e['id']} [{e['kind'] or '-'}] {e['url'] or ''} {e['title']}".rstrip())
            click.echo(f"    {e['reason']}")
            for line in e["reasons"][2:5]:
                click.echo(f"    {line}")
    table = by_kind(topic, rows)
    click.echo("\nby kind: " + ", ".join(
        f"{k} {c['right']}/{c['right'] + c['wrong']}" for k, c in sorted(table.items())))
