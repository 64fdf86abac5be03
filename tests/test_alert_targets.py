"""Alert targets: link-local and metadata addresses never, loopback and private ones only with
the channel's `allow_private = true` — checked when the file is read (a literal URL or host) and
when each connection is opened (a URL from the environment, a name), against real local
receivers that must then get nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.alerts.channels import sender_for
from crawler.alerts.config import AlertConfigError, load_alerts
from crawler.alerts.message import Message
from tests.test_alerts_email import smtp  # noqa: F401 - fixture: a real SMTP server
from tests.test_alerts_webhook import receiver  # noqa: F401 - fixture: a real HTTP receiver


def channels(tmp_path: Path, body: str) -> object:
    path = tmp_path / "alerts.toml"
    path.write_text(body, encoding="utf-8")
    return load_alerts(path)


@pytest.mark.parametrize(("table", "says"), [
    ('kind = "webhook"\nurl = "http://169.254.169.254/latest/meta-data/"\nallow_private = true',
     "key 'url': 169.254.169.254 is a metadata address"),
    ('kind = "slack"\nurl = "http://[fe80::1]/hook"\nallow_private = true',
     "link-local address"),
    ('kind = "webhook"\nurl = "http://metadata.google.internal/x"\nallow_private = true',
     "metadata"),
    ('kind = "webhook"\nurl = "http://127.0.0.1:9/hook"', "set allow_private = true"),
    ('kind = "webhook"\nurl = "http://10.1.2.3/hook"', "10.1.2.3 is a private address"),
    ('kind = "email"\nfrom = "a@b.org"\nto = ["c@d.org"]', "key 'host': localhost is a loopback"),
    ('kind = "email"\nhost = "169.254.169.254"\nfrom = "a@b.org"\nto = ["c@d.org"]\n'
     'allow_private = true', "key 'host': 169.254.169.254 is a metadata address"),
])
def test_refused_in_the_file(tmp_path: Path, table: str, says: str) -> None:
    with pytest.raises(AlertConfigError) as err:
        channels(tmp_path, f"[channels.x]\n{table}\n")
    assert "channel 'x'" in str(err.value) and says in str(err.value)
    assert str(tmp_path / "alerts.toml") in str(err.value)


def test_allowed_with_allow_private(tmp_path: Path) -> None:
    cfg = channels(tmp_path, '[channels.x]\nkind = "webhook"\nurl = "http://127.0.0.1:9/h"\n'
                             'allow_private = true\n')
    assert cfg.channels["x"].allow_private  # type: ignore[attr-defined]


def message() -> Message:
    from crawler.cli.alerts import sample_alert

    return Message("msg_target_test", "alert", "x", sample_alert(), "2026-01-01T00:00:00Z")


@pytest.mark.parametrize("kind", ["webhook", "slack"])
def test_url_from_the_environment_checked_when_sending(tmp_path: Path, monkeypatch: object,
                                                       receiver: object, kind: str) -> None:  # noqa: F811
    rx = receiver()  # type: ignore[operator]
    monkeypatch.setenv("RASAD_TEST_TARGET_URL", rx.url)  # type: ignore[attr-defined]
    cfg = channels(tmp_path, f'[channels.x]\nkind = "{kind}"\nurl_env = "RASAD_TEST_TARGET_URL"\n')
    sender = sender_for(cfg.channels["x"], tmp_path)  # type: ignore[attr-defined]
    try:
        outcome = sender.send(message())
    finally:
        sender.close()
    assert not outcome.ok and not outcome.retry  # final: retrying would not make it allowed
    assert "refused" in outcome.error and "loopback" in outcome.error
    assert rx.requests == []  # nothing reached the receiver
    allowed = cfg.channels["x"].model_copy(update={"allow_private": True})  # type: ignore[attr-defined]
    sender = sender_for(allowed, tmp_path)
    try:
        assert sender.send(message()).ok
    finally:
        sender.close()
    assert len(rx.requests) == 1


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/", "http://[::ffff:169.254.169.254]/"])
def test_metadata_from_the_environment_never(tmp_path: Path, monkeypatch: object, url: str) -> None:
    monkeypatch.setenv("RASAD_TEST_TARGET_URL", url)  # type: ignore[attr-defined]
    cfg = channels(tmp_path, '[channels.x]\nkind = "webhook"\nurl_env = "RASAD_TEST_TARGET_URL"\n'
                             'allow_private = true\ntimeout = 1\n')
    sender = sender_for(cfg.channels["x"], tmp_path)  # type: ignore[attr-defined]
    try:
        outcome = sender.send(message())
    finally:
        sender.close()
    assert not outcome.ok and not outcome.retry and "metadata" in outcome.error


def test_smtp_checked_when_connecting(tmp_path: Path, smtp: object) -> None:  # noqa: F811
    handler, port = smtp  # type: ignore[misc]
    cfg = channels(tmp_path, f'[channels.x]\nkind = "email"\nhost = "127.0.0.1"\nport = {port}\n'
                             'from = "a@example.org"\nto = ["b@example.org"]\n'
                             'allow_private = true\ntimeout = 5\n')
    channel = cfg.channels["x"]  # type: ignore[attr-defined]
    refused = sender_for(channel.model_copy(update={"allow_private": False}), tmp_path)
    outcome = refused.send(message())
    assert not outcome.ok and not outcome.retry and "loopback" in outcome.error
    assert handler.messages == []
    assert sender_for(channel, tmp_path).send(message()).ok
    assert len(handler.messages) == 1
