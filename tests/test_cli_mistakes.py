"""Every command × the mistakes a user makes: one line on stderr, a documented exit status
(2: usage or config, 3: the store failed), never a traceback, and no store created by a command
that only reads (README "Exit status")."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import rasad
from tests.test_store_failures import read_only

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

URL = "https://maseer.net/archives/1"
# (command, arguments before --db); "crawl" never reaches the network: the outlet is moved to a
# closed loopback port.
COMMANDS = {
    "status": ["status"],
    "search": ["search", "الحرس"],
    "export": ["export"],
    "reindex": ["reindex"],
    "alerts list": ["alerts", "list"],
    "alerts dispatch": ["alerts", "dispatch"],
    "topics backtest": ["topics", "backtest", "partnership"],
    "topics explain": ["topics", "explain", URL],
    "serve": ["serve", "--port", "8999"],
    "crawl": ["crawl", "--outlet", "maseer", "--origin", "maseer=http://127.0.0.1:9"],
    "run": ["run", "--outlet", "maseer", "--origin", "maseer=http://127.0.0.1:9"],
}
CREATE = {"crawl", "run"}  # the commands that make a new store
READS = {"status", "search", "export", "alerts list", "topics backtest", "topics explain"}


def check(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == code, (proc.returncode, proc.stderr[-2000:])
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, proc.stderr
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    from storage.db import connect

    folder = tmp_path_factory.mktemp("stores")
    good = folder / "good.db"
    connect(good).conn.close()
    (folder / "dir.db").mkdir()
    (folder / "junk.db").write_bytes(os.urandom(32 * 1024))
    ro = folder / "ro.db"
    connect(ro).conn.close()
    yield {"good": good, "missing": folder / "missing.db", "dir": folder / "dir.db",
           "corrupt": folder / "junk.db", "readonly": ro}


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in CREATE])
def test_missing_store(stores: dict[str, Path], command: str) -> None:
    proc = rasad(*COMMANDS[command], "--db", str(stores["missing"]), check=False, timeout=60)
    check(proc, 2, "not found", str(stores["missing"]))
    assert not stores["missing"].exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_store_is_a_directory(stores: dict[str, Path], command: str) -> None:
    proc = rasad(*COMMANDS[command], "--db", str(stores["dir"]), check=False, timeout=60)
    check(proc, 2, "directory")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_store_is_random_bytes(stores: dict[str, Path], command: str) -> None:
    proc = rasad(*COMMANDS[command], "--db", str(stores["corrupt"]), check=False, timeout=60)
    check(proc, 2, "not a rasad store", str(stores["corrupt"]))


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "serve"])
def test_read_only_store(stores: dict[str, Path], command: str) -> None:
    with read_only(stores["readonly"]):
        proc = rasad(*COMMANDS[command], "--db", str(stores["readonly"]), check=False,
                     timeout=60)
    if command in READS:  # reading a read-only store is what it is for
        assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr
        if proc.returncode == 2:  # explain: the URL is not in the (empty) store
            assert "not in the store" in proc.stderr
    else:
        check(proc, 3, "read-only", str(stores["readonly"]))


MISTAKES = [
    (["status", "--outlet", "nosuch"], "unknown outlet nosuch"),
    (["status", "--config", "nosuch.toml"], "nosuch.toml"),
    (["crawl", "--outlet", "nosuch"], "unknown outlet nosuch"),
    (["crawl", "--origin", "maseer=notaurl"], "not an http(s) origin"),
    (["crawl", "--origin", "nosuch=http://127.0.0.1:9"], "unknown outlet 'nosuch'"),
    (["crawl", "--delay", "soon"], "--delay"),
    (["search", "x", "--outlet", "nosuch"], "unknown outlet 'nosuch'"),
    (["search", "x", "--topic", "nosuch"], "unknown topic 'nosuch'"),
    (["search", "x", "--country", "XX"], "--country 'XX'"),
    (["search", "x", "--country", "أطلانطس"], "--country"),
    (["search", "x", "--since", "2025-13-45"], "not a date"),
    (["export", "--topic", "nosuch"], "unknown topic 'nosuch'"),
    (["export", "--outlet", "nosuch"], "unknown outlet 'nosuch'"),
    (["export", "--until", "yesterday"], "not a date"),
    (["export", "--output", "/nonexistent-folder/x.csv"], "cannot write"),
    (["alerts", "list", "--topic", "nosuch"], "unknown topic 'nosuch'"),
    (["alerts", "list", "--channel", "nosuch"], "unknown channel 'nosuch'"),
    (["alerts", "dispatch", "--channel", "nosuch"], "no channel 'nosuch'"),
    (["alerts", "test", "nosuch"], "no channel 'nosuch'"),
    (["topics", "backtest", "nosuch"], "unknown topic 'nosuch'"),
    (["topics", "backtest", "partnership", "--since", "last week"], "not a date"),
    (["topics", "backtest", "partnership", "--outlet", "nosuch"], "unknown outlet 'nosuch'"),
    (["topics", "explain", URL, "--topic", "nosuch"], "unknown topic 'nosuch'"),
    (["serve", "--port", "0"], "--port"),
    (["serve", "--port", "70000"], "--port"),
    (["serve", "--port", "http"], "--port"),
]


@pytest.mark.parametrize(("args", "says"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_mistakes(stores: dict[str, Path], args: list[str], says: str) -> None:
    proc = rasad(*args, "--db", str(stores["good"]), check=False, timeout=60)
    check(proc, 2, says)


def test_ports_taken(stores: dict[str, Path]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        check(rasad("serve", "--port", port, "--db", str(stores["good"]), check=False), 2,
              f"--port {port}: cannot listen")
        check(rasad("mirror", "--port-base", port, check=False), 2, "--port-base")


def test_mistakes_without_a_store(tmp_path: Path) -> None:
    check(rasad("extract", str(tmp_path / "nosuch.html"), check=False), 2, "nosuch.html")
    check(rasad("mirror", "--port-base", "many", check=False), 2, "--port-base")
    check(rasad("run", "--origin", "maseer=ftp://x", "--db", str(tmp_path / "r.db"),
                check=False), 2, "not an http(s) origin")
    assert not (tmp_path / "r.db").exists()


def test_a_channel_naming_no_topic(stores: dict[str, Path], tmp_path: Path) -> None:
    alerts = tmp_path / "alerts.toml"
    alerts.write_text('[channels.log]\nkind = "jsonl"\npath = "a.jsonl"\ntopics = ["nosuch"]\n',
                      encoding="utf-8")
    for args in (["alerts", "dispatch", "--db", str(stores["good"])], ["alerts", "test", "log"]):
        proc = rasad(*args, "--alerts", str(alerts), check=False)
        check(proc, 2, "unknown topic 'nosuch'", str(alerts))
