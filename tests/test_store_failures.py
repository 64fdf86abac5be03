"""A store that cannot be written ends the crawl at the first failed write: one line naming the
file and the cause, a non-zero status (3; 2 for a file that is not a store), nothing
half-written. Read-only files and folders are made with `chattr +i` when the tests run as root
(root ignores permission bits), else with chmod; the full disk is a small tmpfs when root can
mount one, else a file-size limit (RLIMIT_FSIZE) on the crawl process."""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crawler.dev.mirror.hostile import HostileOutlet

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

ROOT = Path(__file__).resolve().parent.parent
RASAD = str(Path(sys.executable).parent / "rasad")


def crawl(outlet: HostileOutlet, db: Path, env: dict[str, str] | None = None,
          preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    config = db.parent.parent / f"{db.parent.name}-outlets.toml"
    config.write_text(outlet.outlets_toml(good_only=True, concurrency=1), encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RASAD_")}
    return subprocess.run([RASAD, "crawl", "--config", str(config), "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=180,
                          env={**clean, **(env or {})}, preexec_fn=preexec)


def one_line_error(proc: subprocess.CompletedProcess[str], db: Path, cause: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr[-3000:]
    assert str(db) in errors[0] and cause in errors[0], errors[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def whole(db: Path) -> int:
    """Integrity, and every stored article complete (its URLs, its topic verdicts)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
                               "article_urls u WHERE u.article_id = a.id) OR NOT EXISTS (SELECT 1 "
                               "FROM article_topics t WHERE t.article_id = a.id)").fetchone()[0]
        assert orphans == 0
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("root without chattr +i here: cannot make a read-only file")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


@pytest.fixture(scope="module")
def outlet() -> Iterator[HostileOutlet]:
    with HostileOutlet(good_articles=30) as o:
        yield o


@pytest.fixture(scope="module")
def stored(outlet: HostileOutlet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the outlet's first crawl in it (copied by each test)."""
    db = tmp_path_factory.mktemp("base") / "store" / "rasad.db"
    db.parent.mkdir()
    proc = crawl(outlet, db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return db


def copy_store(stored: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    shutil.copy(stored, folder / "rasad.db")
    return folder / "rasad.db"


def test_read_only_file(outlet: HostileOutlet, stored: Path, tmp_path: Path) -> None:
    db = copy_store(stored, tmp_path)
    before = digest(db)
    with read_only(db):
        proc = crawl(outlet, db)
    assert proc.returncode == 3
    one_line_error(proc, db, "read-only")
    assert digest(db) == before


def test_read_only_folder(outlet: HostileOutlet, stored: Path, tmp_path: Path) -> None:
    db = copy_store(stored, tmp_path)
    before = digest(db)
    with read_only(db.parent):
        proc = crawl(outlet, db)
    assert proc.returncode == 3
    one_line_error(proc, db, "folder")
    assert digest(db) == before


def test_random_bytes(outlet: HostileOutlet, tmp_path: Path) -> None:
    db = tmp_path / "store" / "rasad.db"
    db.parent.mkdir()
    db.write_bytes(os.urandom(64 * 1024))
    before = digest(db)
    proc = crawl(outlet, db)
    assert proc.returncode == 2
    one_line_error(proc, db, "not a rasad store")
    assert digest(db) == before
    assert outlet.hits["/feed-good"] >= 1  # (the shared store's crawl); no new request here


def test_lock_held_before_the_crawl(outlet: HostileOutlet, stored: Path, tmp_path: Path) -> None:
    db = copy_store(stored, tmp_path)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = crawl(outlet, db, env={"RASAD_BUSY_TIMEOUT": "1"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 3
    one_line_error(proc, db, "busy timeout")


def test_lock_taken_in_the_middle_of_the_crawl(stored: Path, tmp_path: Path) -> None:
    """Another process takes the write lock while pages are fetched: the next article's write
    waits the busy timeout, fails, and the crawl stops there; what was stored is whole."""
    db = copy_store(stored, tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM article_urls")  # every article is new again to the spider
    conn.execute("DELETE FROM articles")
    conn.commit()
    conn.close()
    lock: dict[str, sqlite3.Connection] = {}
    taken = threading.Event()

    served = []

    def take_lock(path: str) -> None:
        served.append(path)
        if len(served) == 5 and not taken.is_set():
            holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
            holder.execute("BEGIN IMMEDIATE")
            lock["holder"] = holder
            taken.set()

    with HostileOutlet(good_articles=30, on_request=take_lock) as outlet:
        try:
            # Extraction in the crawl process: the first articles are then written before the
            # 5th request, as this test needs (with worker processes the first write can come
            # after it, and the crawl then stops with nothing stored, as it should).
            proc = crawl(outlet, db, env={"RASAD_BUSY_TIMEOUT": "1", "RASAD_WORKERS": "0"})
        finally:
            if "holder" in lock:
                lock["holder"].execute("ROLLBACK")
                lock["holder"].close()
        fetched = sum(n for p, n in outlet.hits.items() if p.startswith("/a/good-"))
    assert taken.is_set()
    assert proc.returncode == 3
    one_line_error(proc, db, "busy timeout")
    assert 0 < whole(db) < 30
    # Stopped: the pages queued for download are dropped, at most the one in transfer ends.
    assert fetched <= 6, proc.stderr[-3000:]


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                           str(folder)], capture_output=True)
    return done.returncode == 0


def test_full_disk(stored: Path, tmp_path: Path) -> None:
    folder = tmp_path / "small"
    mounted = _mount_tmpfs(folder, 4096)
    try:
        if not mounted:
            folder.mkdir(exist_ok=True)
        db = folder / "rasad.db"
        shutil.copy(stored, db)
        conn = sqlite3.connect(db)
        conn.execute("DELETE FROM article_urls")
        conn.execute("DELETE FROM articles")
        conn.commit()
        conn.execute("VACUUM")
        conn.close()
        preexec = None
        if mounted:  # leave ~200 KiB: a few articles fit, then the disk is full
            free = shutil.disk_usage(folder).free
            (folder / "filler").write_bytes(b"\0" * max(0, free - 200 * 1024))
        else:
            limit = db.stat().st_size + 200 * 1024

            def preexec() -> None:  # every file of the crawl process stops growing there
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        with HostileOutlet(good_articles=60) as outlet:
            proc = crawl(outlet, db, preexec=preexec)
        assert proc.returncode == 3
        one_line_error(proc, db, "disk is full" if mounted else "disk I/O error")
        (folder / "filler").unlink(missing_ok=True)
        assert whole(db) < 60
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)
