"""What an alert says (title, outlet, date, link, the sentences that matched, one reason), the
e-mail's right-to-left HTML part, digests for bursts and backfills, and readers' feedback."""
from __future__ import annotations

import json
from pathlib import Path

from crawler.alerts.config import load_alerts
from crawler.alerts.dispatcher import Dispatcher
from crawler.alerts.html import html_text
from crawler.alerts.message import Message, plain_text
from storage.alerts import list_alerts
from storage.db import connect
from tests import test_alerts_webhook as webhook_tests
from tests.conftest import rasad

partnership = webhook_tests.partnership  # fixture: matching articles of the offline mirror
setup_store = webhook_tests.setup_store

ALERT = {"topic": "partnership", "topic_label": "شراكات", "story_id": 1, "article_id": 1,
         "outlet": "maseer", "url": "https://maseer.net/archives/1?a=1&b=2",
         "title": "تمرين <b>أمريكي</b> أردني", "published": "2025-07-10", "score": 2.0,
         "threshold": 1.0, "countries": {"JO": 1, "US": 1}, "states": {}, "terms": {},
         "reason": "US/NATO side «الأمريكية» and regional participant «الأردنية» in «تمرين»",
         "sentences": ["نفّذت القوات الأردنية والأمريكية تمرين <script>x</script> مشتركاً"],
         "reasons": ["matched: score 2.0, threshold 1.0"]}


def jsonl_toml(extra: str = "") -> str:
    return f'[channels.file]\nkind = "jsonl"\npath = "out.jsonl"\n{extra}'


def lines(tmp_path: Path) -> list[dict]:
    return [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]


def test_plain_text_has_every_part_of_an_alert() -> None:
    text = plain_text(Message("msg_x", "alert", "mail", ALERT, "2025-07-10T00:00:00Z"))
    for part in (ALERT["title"], ALERT["url"], "maseer", "2025-07-10", "why: US/NATO side",
                 f"« {ALERT['sentences'][0]} »", "rasad alert msg_x"):
        assert part in text, part


def test_html_part_is_rtl_and_escaped() -> None:
    html = html_text(Message("msg_x", "alert", "mail", ALERT, "2025-07-10T00:00:00Z"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    assert 'href="https://maseer.net/archives/1?a=1&amp;b=2"' in html
    assert "<blockquote" in html and 'dir="auto"' in html


def test_a_burst_goes_out_as_one_digest(tmp_path: Path, partnership) -> None:
    db_path = setup_store(tmp_path, partnership, jsonl_toml("burst = 1\n"), count=2)
    db = connect(db_path)
    report = Dispatcher(db, load_alerts(tmp_path / "alerts.toml"), tmp_path).run()
    assert report.channels["file"].sent == 1
    [msg] = lines(tmp_path)
    assert msg["type"] == "digest" and msg["data"]["period"] == "burst"
    assert msg["data"]["count"] == 2
    assert all(a["sentences"] and a["reason"] for a in msg["data"]["alerts"])


def test_below_the_burst_size_each_alert_is_its_own_message(tmp_path: Path,
                                                            partnership) -> None:
    db_path = setup_store(tmp_path, partnership, jsonl_toml(), count=2)
    db = connect(db_path)
    Dispatcher(db, load_alerts(tmp_path / "alerts.toml"), tmp_path).run()
    assert [m["type"] for m in lines(tmp_path)] == ["alert", "alert"]


def test_a_backfill_goes_out_as_one_digest(tmp_path: Path, partnership) -> None:
    db_path = setup_store(tmp_path, partnership, jsonl_toml(), count=1)
    db = connect(db_path)
    Dispatcher(db, load_alerts(tmp_path / "alerts.toml"), tmp_path, backfill=True).run()
    [msg] = lines(tmp_path)
    assert msg["type"] == "digest" and msg["data"]["period"] == "backfill"


def test_feedback_is_stored_and_scored(tmp_path: Path, partnership) -> None:
    db_path = setup_store(tmp_path, partnership, jsonl_toml(), count=2)
    [first, second] = sorted(r["id"] for r in list_alerts(connect(db_path)))
    out = rasad("alerts", "feedback", str(first), "wrong", "--note", "not a US exercise",
                "--db", str(db_path)).stdout
    assert f"alert {first}" in out and "wrong" in out
    rasad("alerts", "feedback", str(second), "right", "--db", str(db_path))
    rasad("alerts", "feedback", str(second), "right", "--db", str(db_path))  # replaces, no dup
    report = rasad("topics", "backtest", "partnership", "--db", str(db_path)).stdout
    assert "reader feedback: 2 verdict(s)" in report
    assert f"wrong: alert {first}" in report and "rule groups: " in report
    assert "note: not a US exercise" in report
    missing = rasad("alerts", "feedback", "999", "right", "--db", str(db_path), check=False)
    assert missing.returncode == 2 and "no alert 999" in missing.stderr
    bad = rasad("alerts", "feedback", str(first), "maybe", "--db", str(db_path), check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
