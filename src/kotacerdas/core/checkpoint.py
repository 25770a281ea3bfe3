"""SQLite WAL checkpoints off a busy writer's commit path.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with an fsync) inside the commit
that pushes the log past 1,000 pages. For a process that commits a batch every few milliseconds (the stream)
that put ~45 ms into one commit in eight, which is where the alert latency's tail came from. A writer that
uses `BackgroundCheckpoints` turns automatic checkpoints off on its own connections and lets a thread with its
own connection run a PASSIVE checkpoint every second instead: it never blocks the writer (SQLite takes no
write lock for it) and the sqlite3 module releases the GIL while it runs. Other processes keep SQLite's
automatic checkpoints. Nothing changes on PostgreSQL.

A passive checkpoint cannot rewind the log while the writer keeps appending to it, so when the log has grown
past `max_frames` pages the thread runs a RESTART checkpoint, which waits for the writer's current commit,
copies everything and lets the next commit start the log from the beginning.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created

log = logging.getLogger("kotacerdas.checkpoint")


def _no_autocheckpoint(sender: Any, connection: Any, **_: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=0")


def _database_file() -> str | None:
    """The default connection's SQLite file (None on PostgreSQL and for an in-memory database)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return str(connection.settings_dict["NAME"])


class BackgroundCheckpoints:
    """Checkpoint the SQLite database (`path`, by default the default connection's file) from a thread
    every `interval` seconds; nothing on other databases. Use `start()` before the first write and `stop()`
    after the last."""

    def __init__(self, interval: float = 1.0, max_frames: int = 16_384, path: str | None = None) -> None:
        self.interval = interval
        self.max_frames = max_frames
        self.path = path or _database_file()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self.checkpoints = 0
        self.restarts = 0

    def start(self) -> None:
        if self.path is None:
            return
        connection_created.connect(_no_autocheckpoint, dispatch_uid="kotacerdas-no-autocheckpoint")
        if connection.connection is not None:  # already open: the signal has passed it
            _no_autocheckpoint(None, connection)
        self.thread.start()

    def stop(self) -> None:
        """Stop the thread after a last checkpoint; the process's new connections checkpoint by themselves."""
        if self.path is None:
            return
        connection_created.disconnect(dispatch_uid="kotacerdas-no-autocheckpoint")
        self.done.set()
        self.thread.join()

    def _run(self) -> None:
        assert self.path is not None
        database = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
        try:
            while not self.done.wait(self.interval):
                self.checkpoint(database)
            self.checkpoint(database)
        finally:
            database.close()

    def checkpoint(self, database: sqlite3.Connection) -> None:
        """One PASSIVE checkpoint (copies what no reader still needs, waits for nobody); a RESTART one when
        the log has grown past `max_frames`."""
        try:
            _, frames, _ = database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if frames > self.max_frames:
                database.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
                self.restarts += 1
            self.checkpoints += 1
        except sqlite3.Error as exc:  # e.g. busy: the next round catches up
            log.warning("WAL checkpoint failed: %s", exc)
