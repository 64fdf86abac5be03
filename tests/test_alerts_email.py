"""The e-mail channel against a real SMTP server (aiosmtpd on 127.0.0.1): the message, its
Message-ID (the delivery id), temporary (4xx) vs permanent (5xx) refusals, a daily digest."""
from __future__ import annotations

import email
import email.policy
import socket
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from crawler.alerts.config import load_alerts
from crawler.alerts.dispatcher import Dispatcher
from crawler.alerts.listener import TopicListener, load_topics_cached
from crawler.dev.mirror.corpus import load_outlet
from storage.alerts import list_alerts
from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article
from storage.runs import close_run, open_run


class Handler:
    """Accepts mail, or answers the scripted SMTP replies first (e.g. "451 …", "550 …")."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.tries += 1
        if self.script:
            return self.script.pop(0)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def partnership():
    rule = load_topics_cached()["partnership"]
    return [a for a in load_outlet("maseer") + load_outlet("alqaed")
            if a.topic == "partnership" and rule.match(a.title, a.body_text()).matched][:2]


def store_with_alerts(tmp_path: Path, port: int, articles, extra: str = "") -> Path:
    (tmp_path / "alerts.toml").write_text(
        '[retry]\nbackoff = 0.05\nmax_attempts = 3\n\n[channels.mail]\nkind = "email"\n'
        f'host = "127.0.0.1"\nallow_private = true\nport = {port}\n'
        'from = "rasad <rasad@example.org>"\n'
        f'to = ["analyst@example.org", "duty@example.org"]\ntimeout = 5\n{extra}',
        encoding="utf-8")
    db_path = tmp_path / "t.db"
    db = connect(db_path)
    for outlet in ("maseer", "alqaed"):
        close_run(db, open_run(db, outlet), "ok", "finished", {})
    store = ArticleStore(db, [TopicListener(load_topics_cached(),
                                            load_alerts(tmp_path / "alerts.toml"))])
    for a in articles:
        url = f"https://{a.outlet}.example/{a.key}"
        store.add(Article(url=url, canonical_url=url, outlet=a.outlet, title=a.title,
                          body=a.body_text(), published=a.day.isoformat()), url)
    db.conn.close()
    return db_path


def run(db_path: Path, clock=None):
    db = connect(db_path)
    try:
        kwargs = {"clock": clock} if clock else {}
        return Dispatcher(db, load_alerts(db_path.parent / "alerts.toml"), db_path.parent,
                          **kwargs).run()
    finally:
        db.conn.close()


def test_one_mail_per_alert_with_the_delivery_id(tmp_path, smtp, partnership):
    handler, port = smtp
    db_path = store_with_alerts(tmp_path, port, partnership[:1])
    assert run(db_path).channels["mail"].sent == 1
    [mail] = handler.messages
    [row] = list_alerts(connect(db_path))
    assert mail["Message-ID"] == f"<{row['delivery_id']}@rasad.alerts>"
    assert partnership[0].title in mail["Subject"]
    assert mail.get_content_type() == "multipart/alternative"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert row["url"] in body and "why: " in body and "« " in body
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html and row["url"] in html
    assert handler.envelopes == [("rasad@example.org",
                                  ["analyst@example.org", "duty@example.org"])]
    run(db_path)
    assert len(handler.messages) == 1


def test_temporary_refusal_is_retried_permanent_is_not(tmp_path, smtp, partnership):
    handler, port = smtp
    handler.script = ["451 4.3.0 try again later"]
    db_path = store_with_alerts(tmp_path, port, partnership[:1])
    assert run(db_path).channels["mail"].sent == 1
    assert handler.tries == 2 and len(handler.messages) == 1

    handler.script = ["550 5.7.1 relaying denied"]
    handler.tries = 0
    db2 = tmp_path / "second"
    db2.mkdir()
    db_path = store_with_alerts(db2, port, partnership[:1])
    report = run(db_path).channels["mail"]
    assert report.failed == 1 and handler.tries == 1
    assert "SMTP 550" in report.errors[0]


def test_daily_digest_is_one_mail(tmp_path, smtp, partnership):
    handler, port = smtp
    db_path = store_with_alerts(tmp_path, port, partnership,
                                'mode = "digest"\ndigest = "daily"\ndigest_hour = 7\n')
    created = datetime.fromisoformat(
        connect(db_path).conn.execute("SELECT max(created) FROM alert_outbox").fetchone()[0])
    assert run(db_path, clock=lambda: created + timedelta(minutes=1)).channels["mail"].sent == 0
    tomorrow = created.replace(hour=7, minute=0, second=1) + timedelta(days=1)
    assert run(db_path, clock=lambda: tomorrow).channels["mail"].sent == 1
    [mail] = handler.messages
    assert f"{len(partnership)} new alert(s)" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert all(a.title in body for a in partnership)
