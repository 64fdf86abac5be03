"""Migrations: unique increasing numbers from 0007 on, whole statements (triggers over several
lines), and a store written before this scheme (the legacy names in schema_migrations) opens and
is brought forward without re-running anything."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.db import connect
from storage.schema import LEGACY, MigrationError, migration_files, migration_order, statements

FOLDER = Path(__file__).resolve().parent.parent / "storage" / "migrations"


def test_migration_numbers_are_unique_and_increasing_after_the_legacy_files() -> None:
    names = sorted(p.name for p in FOLDER.glob("*.sql"))
    order = migration_order(names)  # raises on a taken number or a bad name
    assert sorted(order) == names
    assert order[:len(LEGACY)] == list(LEGACY)
    numbers = [int(n[:4]) for n in order[len(LEGACY):]]
    assert numbers == sorted(set(numbers)) and all(n > 6 for n in numbers)


@pytest.mark.parametrize(("names", "message"), [
    (["0006_views.sql", "0006_more.sql"], "number 0006 is taken"),
    (["0007_a.sql", "0007_b.sql"], "number 0007 is taken (0007_a.sql); use 0008"),
    (["7_a.sql"], "name it NNNN_words.sql"),
])
def test_a_reused_number_or_bad_name_is_refused(names: list[str], message: str) -> None:
    with pytest.raises(MigrationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        migration_order([*LEGACY, *names])


def test_statements_keep_a_trigger_whole_and_drop_comments() -> None:
    script = ("-- a comment; with a semicolon\nCREATE TABLE t (x);\n"
              "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
              "    INSERT INTO t VALUES (1);\n    INSERT INTO t VALUES (2);\nEND;\n-- the end\n")
    found = statements(script)
    assert len(found) == 2
    assert found[1].startswith("CREATE TRIGGER") and found[1].endswith("END;")
    with pytest.raises(MigrationError):
        statements("CREATE TABLE t (x)\n")


def test_a_store_of_the_legacy_scheme_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    texts = dict(migration_files())
    for name in LEGACY:  # the schema and the names a store of that time has
        for statement in statements(texts[name]):
            old.execute(statement)
        old.execute("INSERT INTO schema_migrations VALUES (?, '2025-01-01T00:00:00Z')", (name,))
    old.execute("INSERT INTO articles (outlet, url, canonical_url, title, body, first_seen, "
                "last_seen) VALUES ('maseer', 'u', 'u', 'عنوان', 'نص', 'x', 'x')")
    old.close()
    db = connect(path)
    rows = dict(db.conn.execute("SELECT name, applied FROM schema_migrations").fetchall())
    assert all(rows[name] == "2025-01-01T00:00:00Z" for name in LEGACY)  # none re-applied
    assert set(rows) == {name for name, _ in migration_files()}  # later ones applied
    assert db.conn.execute("SELECT title FROM articles").fetchall() == [("عنوان",)]
