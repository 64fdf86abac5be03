"""Several processes writing to one store: they take the write lock in turns (storage/turns.py),
and several creating one new store at once all open it (storage/db.py `wal`).

Real processes, a real store file: one writes without pause through the crawl's write batches
(a batch every 0.25 s or 32 writes, the next begun at once), the others each want one
transaction with a short busy timeout. Under SQLite's own busy handler alone, which tries again
every 100 ms, the waiter was kept out for seconds (0.9–8.3 s measured), past a 2 s timeout."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storage import turns

ROOT = Path(__file__).resolve().parent.parent

HOG = """
import sys, time
from pathlib import Path
from storage import db
from storage.batch import Batch
store = db.connect(sys.argv[1])
store.conn.execute("CREATE TABLE IF NOT EXISTS t (who TEXT, n INTEGER)")
batch = Batch(store)
end, n = time.monotonic() + float(sys.argv[2]), 0
while time.monotonic() < end:
    batch.write(lambda c: c.execute("INSERT INTO t VALUES ('hog', ?)", (n,)))
    n += 1
    if n == 100:
        batch.flush()
        Path(sys.argv[1] + ".started").touch()
batch.flush()
print(n)
"""

WAITER = """
import sys, time
from pathlib import Path
from storage import db
db.configure(busy_timeout=float(sys.argv[2]))
store = db.connect(sys.argv[1])
while not Path(sys.argv[1] + ".started").exists():
    time.sleep(0.01)
try:
    with db.transaction(store) as conn:
        conn.execute("INSERT INTO t VALUES ('waiter', 0)")
except Exception as exc:
    print(f"failed: {exc}")
else:
    print("ok")
"""


OPENER = """
import sys, time
from storage import db
start = float(sys.argv[2])
while time.time() < start:  # every opener starts at the same instant
    pass
db.check_writable(db.connect(sys.argv[1]))
print("ok")
"""


def python(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_writers_waiting_on_a_busy_store_get_their_turn(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    hog = python(HOG, store, 8)
    waiters = [python(WAITER, store, 2) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in waiters]
    assert [out.strip() for out, _ in outs] == ["ok", "ok"], outs
    assert hog.poll() is None  # the waiters got in while the hog was still writing
    out, err = hog.communicate(timeout=120)
    assert hog.returncode == 0, err
    with sqlite3.connect(store) as conn:
        rows = conn.execute("SELECT who FROM t ORDER BY rowid").fetchall()
    assert len(rows) == int(out) + 2
    last = max(i for i, (who,) in enumerate(rows) if who == "waiter")
    assert last < len(rows) - 1  # and the hog carried on after them


def test_a_waiter_that_dies_leaves_no_turn_behind(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    from storage import db

    conn = db.connect(store).conn
    conn.execute("CREATE TABLE t (who TEXT, n INTEGER)")
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer's lock: the waiter below waits
    (tmp_path / "s.db.started").touch()
    waiter = python(WAITER, store, 60)
    side = turns.side_file(conn)
    assert side is not None
    deadline = time.monotonic() + 30
    while not _waiting(side):  # it said it is waiting
        assert time.monotonic() < deadline and waiter.poll() is None
        time.sleep(0.01)
    waiter.send_signal(signal.SIGKILL)
    waiter.wait()
    holder.execute("COMMIT")  # this process ends a write: nobody is waiting any more
    turns.ended(conn)
    assert not _waiting(side) and side not in turns._owed  # its flock died with it
    turns.begin(conn)
    conn.execute("ROLLBACK")


def _waiting(side: str) -> bool:
    import fcntl

    fd = os.open(side, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_processes_creating_one_new_store_at_once_all_open_it(tmp_path: Path) -> None:
    """SQLite refuses the switch to WAL at once ("database is locked", no busy wait) while
    another process is creating the file: 14 of 60 openers failed before `db.wal` retried."""
    for round_ in range(5):
        store = tmp_path / f"new{round_}.db"
        start = time.time() + 1.0
        openers = [python(OPENER, store, start) for _ in range(4)]
        outs = [p.communicate(timeout=120) for p in openers]
        assert [out.strip() for out, _ in outs] == ["ok"] * 4, outs
