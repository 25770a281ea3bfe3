"""WAL checkpoints off the writer's commit path (core.checkpoint), on a real SQLite file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from django.db import connection

from kotacerdas.core.checkpoint import BackgroundCheckpoints


def _database(path: Path) -> sqlite3.Connection:
    """A WAL database whose own connection never checkpoints (as the stream's after start())."""
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA wal_autocheckpoint=0")
    database.execute("CREATE TABLE reading (id INTEGER PRIMARY KEY, body TEXT)")
    return database


def _write(database: sqlite3.Connection, rows: int) -> None:
    database.execute("BEGIN")
    database.executemany("INSERT INTO reading (body) VALUES (?)", [("x" * 500,)] * rows)
    database.execute("COMMIT")


def _eventually(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.django_db  # start() also turns the default connection's own checkpoints off
def test_the_thread_copies_the_log_the_writer_no_longer_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    writer = _database(path)
    _write(writer, 2_000)
    assert path.stat().st_size < 100_000  # the rows are only in the log: the writer does not copy them
    checkpoints = BackgroundCheckpoints(interval=0.05, path=str(path))
    checkpoints.start()
    try:
        assert _eventually(lambda: path.stat().st_size > 1_000_000)  # copied into the database file
    finally:
        checkpoints.stop()
    assert checkpoints.checkpoints >= 1 and checkpoints.restarts == 0
    assert writer.execute("SELECT count(*) FROM reading").fetchone() == (2_000,)


@pytest.mark.django_db
def test_a_long_log_is_restarted(tmp_path: Path) -> None:
    """A passive checkpoint cannot rewind a log the writer keeps appending to; past max_frames the
    thread runs a RESTART checkpoint."""
    path = tmp_path / "db.sqlite3"
    writer = _database(path)
    _write(writer, 2_000)  # some hundred pages in the log
    checkpoints = BackgroundCheckpoints(interval=0.05, max_frames=10, path=str(path))
    checkpoints.start()
    try:
        assert _eventually(lambda: checkpoints.restarts >= 1)
    finally:
        checkpoints.stop()
    assert path.stat().st_size > 1_000_000


@pytest.mark.django_db
def test_the_writer_connection_stops_checkpointing_by_itself(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: nothing changes on PostgreSQL")
    checkpoints = BackgroundCheckpoints(interval=60, path=str(tmp_path / "other.sqlite3"))
    sqlite3.connect(tmp_path / "other.sqlite3").close()
    checkpoints.start()
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == 0
    finally:
        checkpoints.stop()


def test_nothing_happens_without_a_sqlite_file(settings: object) -> None:
    checkpoints = BackgroundCheckpoints(interval=0.01)
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        pytest.skip("the test database is a file here")
    checkpoints.start()
    checkpoints.stop()
    assert checkpoints.path is None and checkpoints.checkpoints == 0
