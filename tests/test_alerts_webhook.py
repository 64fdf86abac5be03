"""Webhook and Slack channels against a real HTTP receiver on 127.0.0.1: retries and backoff,
Retry-After, 4xx, timeouts, signatures, escaping, secrets, and a dispatcher killed (SIGKILL)
between the receiver's 2xx and the record."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.alerts.config import load_alerts
from crawler.alerts.dispatcher import Dispatcher
from crawler.alerts.listener import TopicListener, load_topics_cached
from crawler.dev.mirror.corpus import load_outlet
from storage.alerts import list_alerts
from storage.articles import ArticleStore
from storage.db import connect
from storage.outbox import attempts_of
from storage.record import Article
from storage.runs import close_run, open_run
from tests.conftest import rasad

SECRET = "whsec_" + base64.b64encode(b"rasad-test-key-0123456789").decode()


class Receiver:
    """A webhook receiver with a script of answers: (status, headers, delay) per request, 200
    once the script is used up. Records every request, and deduplicates by webhook-id the way
    a Standard Webhooks consumer does."""

    def __init__(self, script=()) -> None:
        self.script = list(script)
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.on_request = None  # called once, before answering (kills the sender)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers.items()),
                                              "body": body, "at": time.monotonic(),
                                              "path": self.path})
                    status, headers, delay = receiver.script.pop(0) if receiver.script \
                        else (200, {}, 0)
                    hook, receiver.on_request = receiver.on_request, None
                if hook is not None:
                    hook()
                time.sleep(delay)
                payload = b"ok" if status < 300 else b"nope: " + self.path.encode()
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ids(self) -> list[str]:
        return [r["headers"].get("webhook-id") for r in self.requests]

    def delivered(self) -> dict[str, bytes]:
        """What a consumer that drops repeated ids processes."""
        seen: dict[str, bytes] = {}
        for r in self.requests:
            seen.setdefault(r["headers"]["webhook-id"], r["body"])
        return seen

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*script):
        made.append(Receiver(script))
        return made[-1]
    yield make
    for r in made:
        r.close()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """Standard Webhooks verification, written from the spec (not from rasad's code)."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, g) for g in given)


@pytest.fixture(scope="module")
def partnership():
    """Partnership articles the rule matches, with distinct texts (copies would be one story)."""
    rule = load_topics_cached()["partnership"]
    return [a for a in load_outlet("centcomcitadel")
            if a.topic == "partnership" and rule.match(a.title, a.body_text()).matched][:2]


def setup_store(tmp_path: Path, partnership, channel_toml: str, count: int = 1,
                title: str | None = None) -> Path:
    """A store with one completed crawl and `count` new matching articles (outbox rows)."""
    (tmp_path / "alerts.toml").write_text(channel_toml, encoding="utf-8")
    db_path = tmp_path / "t.db"
    db = connect(db_path)
    run = open_run(db, "centcomcitadel")
    close_run(db, run, "ok", "finished", {})
    cfg = load_alerts(tmp_path / "alerts.toml")
    store = ArticleStore(db, [TopicListener(load_topics_cached(), cfg)])
    for src in partnership[:count]:
        url = f"https://www.centcomcitadel.com/ar/articles/{src.key}"
        store.add(Article(url=url, canonical_url=url, outlet="centcomcitadel",
                          title=title or src.title, body=src.body_text(),
                          published="2025-07-10"), url)
    db.conn.close()
    return db_path


def hook_toml(url: str, extra: str = "", kind: str = "webhook") -> str:
    secret = 'secret_env = "RASAD_TEST_HOOK_SECRET"\n' if kind == "webhook" else ""
    return (f'[retry]\nbackoff = 0.05\nmax_attempts = 4\n\n[channels.hook]\nkind = "{kind}"\n'
            f'url = "{url}"\nallow_private = true\n{secret}timeout = 2.0\n{extra}')


def dispatch(db_path: Path, clock=None):
    db = connect(db_path)
    try:
        cfg = load_alerts(db_path.parent / "alerts.toml")
        kwargs = {"clock": clock} if clock else {}
        return Dispatcher(db, cfg, db_path.parent, **kwargs).run()
    finally:
        db.conn.close()


@pytest.fixture(autouse=True)
def hook_secret(monkeypatch):
    monkeypatch.setenv("RASAD_TEST_HOOK_SECRET", SECRET)


def test_500_500_200_is_one_delivery_with_one_id(tmp_path, receiver, partnership):
    rx = receiver((500, {}, 0), (500, {}, 0), (200, {}, 0))
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url))
    report = dispatch(db_path)
    assert report.channels["hook"].sent == 1 and report.channels["hook"].failed == 0
    assert len(rx.requests) == 3 and len(set(rx.ids())) == 1
    assert len({r["body"] for r in rx.requests}) == 1  # the same body on every attempt
    for r in rx.requests:
        assert verify(SECRET, r["headers"], r["body"])
    doc = json.loads(rx.requests[0]["body"])
    assert doc["type"] == "rasad.alert" and doc["id"] == rx.ids()[0]
    assert doc["data"]["title"] == partnership[0].title and doc["data"]["reasons"]
    db = connect(db_path)
    [alert] = list_alerts(db)
    assert alert["status"] == "sent" and alert["delivery_id"] == rx.ids()[0]
    assert [a["outcome"] for a in attempts_of(db, alert["delivery_id"])] == ["retry", "retry", "ok"]
    dispatch(db_path)  # nothing left to send
    assert len(rx.requests) == 3


def test_4xx_is_not_retried_and_is_reported(tmp_path, receiver, partnership):
    rx = receiver((404, {}, 0))
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url))
    proc = rasad("alerts", "dispatch", "--db", str(db_path), "--alerts",
                 str(tmp_path / "alerts.toml"), check=False)
    assert proc.returncode == 1
    assert "failed 1" in proc.stdout and "HTTP 404" in proc.stdout
    assert len(rx.requests) == 1
    listed = rasad("alerts", "list", "--db", str(db_path), "--format", "json").stdout
    [row] = [json.loads(line) for line in listed.splitlines()]
    assert row["status"] == "failed" and row["last_error"].startswith("HTTP 404")
    assert {"url", "topic", "channel", "status", "created"} <= set(row)


def test_retry_after_is_honoured(tmp_path, receiver, partnership):
    rx = receiver((503, {"Retry-After": "1"}, 0), (200, {}, 0))
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url))
    dispatch(db_path)
    assert len(rx.requests) == 2 and len(set(rx.ids())) == 1
    assert rx.requests[1]["at"] - rx.requests[0]["at"] >= 0.95  # not the 0.05 s backoff


def test_long_retry_after_defers_to_a_later_dispatch(tmp_path, receiver, partnership):
    rx = receiver((429, {"Retry-After": "120"}, 0))
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url), count=2)
    report = dispatch(db_path)
    # The receiver asked for a pause: the other message is held, not sent into the pause.
    assert report.channels["hook"].retrying == 1 and report.channels["hook"].held == 1
    assert len(rx.requests) == 1
    db = connect(db_path)
    statuses = sorted(r["status"] for r in list_alerts(db))
    assert statuses == ["pending", "retrying"]
    dispatch(db_path)  # too early for the deferred one; the held one goes now
    assert len(rx.requests) == 2
    later = datetime.now(UTC) + timedelta(seconds=125)
    dispatch(db_path, clock=lambda: later)
    assert len(rx.requests) == 3 and len(set(rx.ids())) == 2
    assert {r["status"] for r in list_alerts(db)} == {"sent"}


def test_timeout_is_retried_with_the_same_id(tmp_path, receiver, partnership):
    rx = receiver((200, {}, 3.0), (200, {}, 0))
    db_path = setup_store(tmp_path, partnership,
                          hook_toml(rx.url).replace("timeout = 2.0", "timeout = 0.5"))
    report = dispatch(db_path)
    assert report.channels["hook"].sent == 1
    assert len(rx.requests) == 2 and len(set(rx.ids())) == 1
    db = connect(db_path)
    first = attempts_of(db, rx.ids()[0])[0]
    assert first["outcome"] == "retry" and "timeout" in first["error"]


def test_killed_after_send_before_record_resends_the_same_id_once(tmp_path, receiver,
                                                                  partnership):
    rx = receiver()
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url))
    args = ("alerts", "dispatch", "--db", str(db_path), "--alerts", str(tmp_path / "alerts.toml"))
    env = {"RASAD_TEST_HOOK_SECRET": SECRET}
    # The receiver has the message and kills the dispatcher before it can record the answer.
    started = threading.Event()
    victim: list[subprocess.Popen] = []
    rx.on_request = lambda: started.wait(10) and os.kill(victim[0].pid, signal.SIGKILL)
    victim.append(subprocess.Popen([str(Path(sys.executable).parent / "rasad"), *args],
                                   env={**os.environ, **env}, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True))
    started.set()
    _, killed_err = victim[0].communicate(timeout=120)
    assert victim[0].returncode == -9, killed_err
    assert len(rx.requests) == 1
    db = connect(db_path)
    assert [r["status"] for r in list_alerts(db)] == ["sending"]
    rasad(*args, env=env)
    assert len(rx.requests) == 2 and len(set(rx.ids())) == 1
    assert rx.requests[0]["body"] == rx.requests[1]["body"]
    rasad(*args, env=env)
    assert len(rx.requests) == 2
    assert len(rx.delivered()) == 1
    [row] = list_alerts(db)
    assert row["status"] == "sent"
    assert [a["outcome"] for a in attempts_of(db, row["delivery_id"])] == ["lost", "ok"]


def test_slack_title_cannot_ping_a_channel(tmp_path, receiver, partnership):
    rx = receiver()
    title = "<!channel> <@U024BE7LH> عاجل & " + partnership[0].title + " <https://evil.example|x>"
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url, kind="slack"), title=title)
    assert dispatch(db_path).channels["hook"].sent == 1
    text = json.loads(rx.requests[0]["body"])["text"]
    assert "&lt;!channel&gt;" in text and "&lt;@U024BE7LH&gt;" in text and "&amp;" in text
    assert "<!channel>" not in text and "<@U024BE7LH>" not in text
    assert "<https://evil.example" not in text
    # The one link is ours: the article URL, labelled with the escaped title.
    links = [part.split(">")[0] for part in text.split("<")[1:]]
    assert len(links) == 1 and links[0].startswith("https://www.centcomcitadel.com/ar/")


def test_secrets_stay_out_of_reports_and_the_store(tmp_path, receiver, partnership, monkeypatch):
    secret_url = "http://127.0.0.1:9/services/T000/B000/s3cr3tTokenValue"  # nothing listens
    monkeypatch.setenv("RASAD_TEST_SLACK_URL", secret_url)
    toml = ('[retry]\nbackoff = 0.01\nmax_attempts = 2\n[channels.hook]\nkind = "slack"\n'
            'url_env = "RASAD_TEST_SLACK_URL"\nallow_private = true\ntimeout = 1.0\n')
    db_path = setup_store(tmp_path, partnership, toml)
    proc = rasad("alerts", "dispatch", "--db", str(db_path), "--alerts",
                 str(tmp_path / "alerts.toml"), check=False,
                 env={"RASAD_TEST_SLACK_URL": secret_url})
    assert proc.returncode == 1
    dump = "\n".join(connect(db_path).conn.iterdump())
    for text in (proc.stdout, proc.stderr, dump):
        assert "s3cr3tTokenValue" not in text
    assert "gave up after 2 attempts" in proc.stdout


def test_missing_secret_holds_messages(tmp_path, receiver, partnership, monkeypatch):
    rx = receiver()
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url))
    monkeypatch.delenv("RASAD_TEST_HOOK_SECRET")
    report = dispatch(db_path)
    assert report.channels["hook"].held == 1 and not rx.requests
    assert "RASAD_TEST_HOOK_SECRET is not set" in report.channels["hook"].errors[0]
    monkeypatch.setenv("RASAD_TEST_HOOK_SECRET", SECRET)
    assert dispatch(db_path).channels["hook"].sent == 1 and len(rx.requests) == 1


def test_two_dispatchers_at_once_send_each_message_once(tmp_path, receiver, partnership):
    rx = receiver((200, {}, 0.4), (200, {}, 0.4), (200, {}, 0.4))
    db_path = setup_store(tmp_path, partnership, hook_toml(rx.url), count=2)
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(dispatch(db_path)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.channels["hook"].sent for r in reports) == 2
    assert len(rx.requests) == 2 and len(set(rx.ids())) == 2


def test_alerts_test_sends_a_sample(tmp_path, receiver):
    rx = receiver((200, {}, 0), (403, {}, 0))
    (tmp_path / "alerts.toml").write_text(hook_toml(rx.url, kind="slack"), encoding="utf-8")
    args = ("alerts", "test", "hook", "--alerts", str(tmp_path / "alerts.toml"),
            "--db", str(tmp_path / "t.db"))
    out = rasad(*args).stdout
    assert out.startswith("sent msg_test_") and len(rx.requests) == 1
    text = json.loads(rx.requests[0]["body"])["text"]
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    failed = rasad(*args, check=False)
    assert failed.returncode == 1 and "permanent failure: HTTP 403" in failed.stderr
    unknown = rasad("alerts", "test", "nope", "--alerts", str(tmp_path / "alerts.toml"),
                    check=False)
    assert unknown.returncode == 2 and "no channel 'nope' (known: hook)" in unknown.stderr
