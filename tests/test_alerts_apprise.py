"""The `apprise` channel against a real local receiver (Apprise's json:// posting to a server on
127.0.0.1): retries, restarts, a dispatcher killed between the receiver's 2xx and the record, and
config errors naming file, channel and key."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from crawler.alerts.config import AlertConfigError, load_alerts
from storage.alerts import list_alerts
from storage.db import connect
from storage.outbox import attempts_of
from tests import test_alerts_webhook as webhook_tests
from tests.conftest import rasad

# The webhook tests' real local receiver and store helpers, shared (fixtures by assignment).
receiver = webhook_tests.receiver
partnership = webhook_tests.partnership
dispatch = webhook_tests.dispatch
setup_store = webhook_tests.setup_store

_ID = re.compile(r"rasad alert (\S+) \(channel")


def apprise_toml(url: str, extra: str = "") -> str:
    # The receiver is on loopback: allowed only when the channel says so.
    return ('[retry]\nbackoff = 0.05\nmax_attempts = 4\n\n[channels.chat]\nkind = "apprise"\n'
            f'urls = ["{url}"]\nallow_private = true\n{extra}')


def json_url(rx) -> str:
    return rx.url.replace("http://", "json://")


def message_ids(rx) -> list[str]:
    return [_ID.search(json.loads(r["body"])["message"]).group(1) for r in rx.requests]


def test_apprise_delivers_once_through_retries_and_restarts(tmp_path, receiver, partnership):
    rx = receiver((500, {}, 0), (503, {}, 0), (200, {}, 0))
    db_path = setup_store(tmp_path, partnership, apprise_toml(json_url(rx)))
    report = dispatch(db_path)
    assert report.channels["chat"].sent == 1 and report.channels["chat"].failed == 0
    assert len(rx.requests) == 3 and len(set(message_ids(rx))) == 1
    doc = json.loads(rx.requests[-1]["body"])
    assert doc["title"].startswith("[rasad] ")
    # the message says why: the one-line reason and the sentences as the article wrote them
    assert "why: " in doc["message"] and "« " in doc["message"]
    db = connect(db_path)
    [alert] = list_alerts(db)
    assert alert["status"] == "sent"
    assert [a["outcome"] for a in attempts_of(db, alert["delivery_id"])] == \
        ["retry", "retry", "ok"]
    dispatch(db_path)  # a new dispatcher: nothing left to send
    rasad("alerts", "dispatch", "--db", str(db_path), "--alerts", str(tmp_path / "alerts.toml"))
    assert len(rx.requests) == 3


def test_apprise_kill_after_send_resends_the_same_id_once(tmp_path, receiver, partnership):
    rx = receiver()
    db_path = setup_store(tmp_path, partnership, apprise_toml(json_url(rx)))
    args = ("alerts", "dispatch", "--db", str(db_path), "--alerts", str(tmp_path / "alerts.toml"))
    # The receiver has the message and kills the dispatcher before it can record the answer.
    started = threading.Event()
    victim: list[subprocess.Popen] = []
    rx.on_request = lambda: started.wait(10) and os.kill(victim[0].pid, signal.SIGKILL)
    victim.append(subprocess.Popen([str(Path(sys.executable).parent / "rasad"), *args],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    started.set()
    _, err = victim[0].communicate(timeout=120)
    assert victim[0].returncode == -9, err
    assert len(rx.requests) == 1
    rasad(*args)
    rasad(*args)
    ids = message_ids(rx)
    assert len(ids) == 2 and len(set(ids)) == 1  # the repeat carries the same id: droppable
    [row] = list_alerts(connect(db_path))
    assert row["status"] == "sent" and row["delivery_id"] == ids[0]


def test_apprise_failing_target_is_retried_then_failed(tmp_path, receiver, partnership):
    rx = receiver(*[(500, {}, 0)] * 4)
    db_path = setup_store(tmp_path, partnership, apprise_toml(json_url(rx)))
    report = dispatch(db_path)
    assert report.channels["chat"].failed == 1 and len(rx.requests) == 4
    [row] = list_alerts(connect(db_path))
    assert row["status"] == "failed" and "gave up after 4 attempts" in row["last_error"]


def test_apprise_urls_from_environment_are_redacted(tmp_path, receiver, partnership,
                                                     monkeypatch):
    rx = receiver(*[(500, {}, 0)] * 4)
    url = json_url(rx) + "?token=s3cr3t-token"
    monkeypatch.setenv("RASAD_TEST_APPRISE", url)
    toml = ('[retry]\nbackoff = 0.05\nmax_attempts = 4\n\n[channels.chat]\nkind = "apprise"\n'
            'urls_env = "RASAD_TEST_APPRISE"\nallow_private = true\n')
    db_path = setup_store(tmp_path, partnership, toml)
    dispatch(db_path)
    [row] = list_alerts(connect(db_path))
    assert row["status"] == "failed" and "s3cr3t" not in (row["last_error"] or "")


def test_apprise_loopback_target_refused_without_allow_private(tmp_path, receiver, partnership,
                                                               monkeypatch):
    rx = receiver()
    monkeypatch.setenv("RASAD_TEST_APPRISE", json_url(rx))
    toml = ('[retry]\nbackoff = 0.05\nmax_attempts = 4\n\n[channels.chat]\nkind = "apprise"\n'
            'urls_env = "RASAD_TEST_APPRISE"\n')
    db_path = setup_store(tmp_path, partnership, toml)
    report = dispatch(db_path)
    assert report.channels["chat"].failed == 1 and rx.requests == []
    [row] = list_alerts(connect(db_path))
    assert row["last_error"].startswith("refused: ")


@pytest.mark.parametrize(("body", "message"), [
    ('kind = "apprise"\nurls = ["json://127.0.0.1:9/x"]\n', r"channel 'chat': key 'urls': "),
    ('kind = "apprise"\nurls = ["nope://x"]\n',
     r"channel 'chat': key 'urls': not an Apprise URL Apprise can send to: 'nope://x'"),
    ('kind = "apprise"\n', r"channel 'chat': key 'urls': give exactly one of"),
    ('kind = "apprise"\nurls = ["json://localhost/x"]\nurl = "https://x.example"\n',
     r"channel 'chat': key 'url': not a key of a 'apprise' channel"),
])
def test_apprise_config_errors_name_file_channel_and_key(tmp_path: Path, body: str,
                                                         message: str) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text(f"[channels.chat]\n{body}", encoding="utf-8")
    with pytest.raises(AlertConfigError, match=re.escape(str(path)) + ": " + message):
        load_alerts(path)


def test_channel_naming_an_unknown_topic_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text('[channels.chat]\nkind = "apprise"\nurls = ["json://alerts.example.org/x"]\n'
                    'topics = ["partnerships"]\n', encoding="utf-8")
    cfg = load_alerts(path)
    expected = f"{path}: channel 'chat': key 'topics': unknown topic 'partnerships'"
    with pytest.raises(AlertConfigError, match=re.escape(expected)):
        cfg.check_topics(["partnership", "regional_military_cooperation"])
    proc = rasad("alerts", "dispatch", "--db", str(tmp_path / "t.db"), "--alerts", str(path),
                 check=False)
    assert proc.returncode != 0 and f"{path}: channel 'chat': key 'topics'" in proc.stderr
    assert "Traceback" not in proc.stderr
