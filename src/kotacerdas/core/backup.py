"""`kotacerdas backup PATH` and `kotacerdas restore PATH`: the database and the uploaded files in one archive.

The archive is a tar file holding `manifest.json` (engine, time, the applied migrations, rows per table),
the database (`database.sqlite3`, a consistent copy made with SQLite's online backup API, or `database.dump`,
PostgreSQL's custom format from `pg_dump`) and `media/` (evidence files, documents). A backup is taken while
the platform runs. Restore goes to the same engine, into an empty database unless `replace` is given.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


@dataclass
class Manifest:
    """What an archive holds."""

    engine: str
    created: str
    migrations: int
    tables: dict[str, int]
    media_files: int
    format: int = FORMAT


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def table_counts() -> dict[str, int]:
    """Rows per table of the current database (every table the database has, ours or Django's)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: KOTACERDAS_PG_BIN, else PostgreSQL 15's own folder, else the PATH."""
    for folder in (os.environ.get("KOTACERDAS_PG_BIN", ""), "/usr/lib/postgresql/15/bin"):
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL 15 client or set KOTACERDAS_PG_BIN")
    return found


def _pg_url() -> tuple[str, dict[str, str]]:
    """A libpq URL of the configured database (without the password) and the environment with it."""
    db: dict[str, Any] = settings.DATABASES["default"]
    user = quote(str(db.get("USER") or ""))
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return f"postgresql://{user}@{host}:{port}/{quote(str(db['NAME']))}", env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _sqlite_counts(database: Path) -> dict[str, int]:
    db = sqlite3.connect(database)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {
            t: int(db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
            for t in tables
            if not t.startswith("sqlite_")
        }
    finally:
        db.close()


def _dump_database(folder: Path) -> dict[str, int]:
    """Dump the database into the folder; returns the rows per table of exactly what was dumped."""
    if _engine() == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        return _sqlite_counts(folder / "database.sqlite3")
    url, env = _pg_url()
    with transaction.atomic(), connection.cursor() as cursor:
        # one snapshot for the counts and for pg_dump, while the platform keeps writing
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts()
        command = [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
        ]
        _run([*command, "-f", str(folder / "database.dump"), url], env)
    return counts


def backup(path: Path) -> Manifest:
    """Write the archive to `path` (a tar file); returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    with tempfile.TemporaryDirectory(prefix="kotacerdas-backup-") as tmp:
        folder = Path(tmp)
        tables = _dump_database(folder)
        manifest = Manifest(
            engine=_engine(),
            created=datetime.now(UTC).isoformat(),
            migrations=tables.get("django_migrations", 0),
            tables=tables,
            media_files=len(files),
        )
        (folder / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=1))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(folder / "manifest.json", "manifest.json")
            for name in ("database.sqlite3", "database.dump"):
                if (folder / name).exists():
                    archive.add(folder / name, name)
            for file in files:
                archive.add(file, "media/" + file.relative_to(media).as_posix())
        partial.replace(path)  # a half-written archive never has the final name
    log.info("backup written", extra={"path": str(path), "tables": len(manifest.tables)})
    return manifest


def read_manifest(path: Path) -> Manifest:
    """The manifest of an archive, or BackupError if it is not one of ours."""
    try:
        with tarfile.open(path) as archive:
            member = archive.extractfile("manifest.json")
            data = json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a kotacerdas backup: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a kotacerdas backup of format {FORMAT}")
    return Manifest(**data)


def _is_empty() -> bool:
    """No Django table yet (a new database): restoring cannot overwrite anything."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return "django_migrations" not in tables


def _restore_sqlite(source: Path) -> None:
    target_path = settings.DATABASES["default"]["NAME"]
    connection.close()
    backup_db = sqlite3.connect(source)
    target = sqlite3.connect(target_path)
    with target:
        backup_db.backup(target)
    backup_db.close()
    target.close()


def _restore_postgres(source: Path, replace: bool) -> None:
    url, env = _pg_url()
    connection.close()
    options = ["--clean", "--if-exists"] if replace else []
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            *options,
            "-d",
            url,
            str(source),
        ],
        env,
    )


def restore(path: Path, replace: bool = False) -> Manifest:
    """Restore the archive into the configured database and media folder."""
    manifest = read_manifest(path)
    if manifest.engine != _engine():
        raise BackupError(
            f"this backup is of a {manifest.engine} database and the configured one is {_engine()}: "
            "restore it into the same engine"
        )
    if not replace and not _is_empty():
        raise BackupError(
            "the configured database is not empty: restore into an empty one, or pass --replace"
        )
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kotacerdas-restore-") as tmp, tarfile.open(path) as archive:
        archive.extractall(tmp, filter="data")
        folder = Path(tmp)
        if manifest.engine == "sqlite":
            _restore_sqlite(folder / "database.sqlite3")
        else:
            _restore_postgres(folder / "database.dump", replace)
        if replace and media.exists():
            shutil.rmtree(media)
        if (folder / "media").exists():
            shutil.copytree(folder / "media", media, dirs_exist_ok=True)
    restored = table_counts()
    different = {t: (n, restored.get(t)) for t, n in manifest.tables.items() if restored.get(t) != n}
    if different:
        raise BackupError(f"restored row counts differ from the backup's: {different}")
    log.info("backup restored", extra={"path": str(path), "tables": len(restored)})
    return manifest
