"""A real redis-server for the worker-mode tests: a free loopback port, a temporary directory,
append-only persistence on (so a restart keeps the frontier), stopped at the end; and a proxy in
front of it that loses one reply (ReplyDropper)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, folder: Path) -> None:
        exe = shutil.which("redis-server")
        assert exe, "Debian's redis-server is needed (make test installs it: apt-get install " \
                    "redis-server)"
        self.exe = exe
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def start(self) -> RedisServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--daemonize", "no", "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server did not start: {self.folder}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """A clean shutdown (the append-only file is complete)."""
        if self.proc is None:
            return
        try:
            self.client().shutdown(nosave=False)
        except redis.ConnectionError:
            pass  # the server closes the connection as it exits
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ReplyDropper:
    """A TCP proxy in front of a redis-server that loses one reply, as a Redis shutting down
    does: armed with `drop(marker)`, it forwards the next command whose bytes hold `marker`,
    then, as that command's reply comes back, closes the connection without forwarding it. The
    command ran; the client saw a dropped connection (and retries it: keys.connect). Every
    other command, and every later connection, passes through."""

    def __init__(self, port: int) -> None:
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.marker: bytes | None = None
        self.dropped = threading.Event()  # the armed command ran and its reply was lost
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="reply-dropper", daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def drop(self, marker: bytes = b"") -> None:
        with self._lock:
            self.dropped.clear()
            self.marker = marker

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, server]
            lost = threading.Event()  # this connection's next reply is the one to lose
            for pump in (self._commands, self._replies):
                threading.Thread(target=pump, args=(client, server, lost), daemon=True).start()

    def _commands(self, client: socket.socket, server: socket.socket,
                  lost: threading.Event) -> None:
        while data := _recv(client):
            with self._lock:
                if self.marker is not None and self.marker in data:
                    self.marker = None
                    lost.set()  # before the command leaves: its reply cannot come first
            try:
                server.sendall(data)
            except OSError:
                break
        _close(client, server)

    def _replies(self, client: socket.socket, server: socket.socket,
                 lost: threading.Event) -> None:
        while data := _recv(server):
            if lost.is_set():  # the command ran: its reply goes down with the connection
                _close(client, server)
                self.dropped.set()
                return
            try:
                client.sendall(data)
            except OSError:
                break
        _close(client, server)

    def close(self) -> None:
        _close(self.listener)
        with self._lock:
            _close(*self._sockets)

    def __enter__(self) -> ReplyDropper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


ROOT = Path(__file__).resolve().parent.parent


def spawn(*args: str, env: dict[str, str] | None = None,
          log: Path | None = None) -> subprocess.Popen[str]:
    """`rasad ARGS` as a child process (stdout captured, stderr to `log` or discarded)."""
    import os
    import sys

    exe = Path(sys.executable).parent / "rasad"
    err = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
    return subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE, stderr=err, text=True,
                            cwd=ROOT, env={**os.environ, **(env or {})})


def cluster_status(url: str, config: Path) -> dict:
    """What `rasad status --redis URL --json` prints, read in this process (polling through the
    command would spend a process start-up per look)."""
    from crawler.cluster import keys
    from crawler.cluster.status import facts
    from crawler.config.outlets import load_config

    return facts(keys.connect(url), list(load_config(config).outlets))


def wait_written(url: str, config: Path, done: Callable[[dict], bool],
                 timeout: float = 120) -> dict:
    """Poll `rasad status --redis --json` until `done(status)`; the last status."""
    deadline = time.monotonic() + timeout
    while True:
        status = cluster_status(url, config)
        if done(status):
            return status
        assert time.monotonic() < deadline, f"timed out; last status: {status}"
        time.sleep(0.3)


def drained(status: dict) -> bool:
    w = status["writer"]
    return w["waiting"] == 0 and w["pending"] == 0 and w["lag_s"] is None and \
        all(o["state"] == "done" for o in status["outlets"])
