"""RASAD_VIEW_URL: alerts link to the article's page in the web view (article, story, versions)."""
from __future__ import annotations

from crawler.alerts.channels.http import slack_lines
from crawler.alerts.message import alert_payload, text_lines

ITEM = {"topic": "partnership", "story_id": 3, "article_id": 7, "outlet": "maseer",
        "url": "https://maseer.net/archives/1", "title": "الحرس الوطني", "published": "2025-03-04",
        "score": 9.0, "why": {"label": "شراكات", "threshold": 5.0, "reasons": ["+6 spp"]}}


def test_no_view_url_unless_configured() -> None:
    payload = alert_payload(ITEM)
    assert "view_url" not in payload
    assert not any("in rasad" in line for line in text_lines(payload))


def test_alert_links_to_the_article_page() -> None:
    payload = alert_payload(ITEM, view_base="http://rasad.example:8001/")
    assert payload["view_url"] == "http://rasad.example:8001/-/article/7"
    assert "in rasad: http://rasad.example:8001/-/article/7" in text_lines(payload)
    assert any(line.startswith("<http://rasad.example:8001/-/article/7|")
               for line in slack_lines(payload))
