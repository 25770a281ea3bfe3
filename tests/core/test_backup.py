"""`kotacerdas backup` / `kotacerdas restore` through the real command, on SQLite and PostgreSQL 15: the
demo (program, plans, evaluation, live data, audit log) and an uploaded file are backed up, restored into an
empty database, and every table is compared row by row; the refusals are clear."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.slow
KOTACERDAS = Path(sys.executable).parent / "kotacerdas"
PG_URL = os.environ.get("KOTACERDAS_TEST_PG_URL", "")


def kotacerdas(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([KOTACERDAS, *args], env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
    env["KOTACERDAS_DATA_DIR"] = str(data_dir)
    if database_url:
        env["KOTACERDAS_DATABASE_URL"] = database_url
    return env


def seed(env: dict[str, str], data_dir: Path) -> None:
    kotacerdas(env, "demo", "--no-serve")
    evidence = data_dir / "media" / "evidence" / "2026"
    evidence.mkdir(parents=True)
    (evidence / "laporan.pdf").write_bytes(b"%PDF-1.4 evidence of a quick win\n")


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    tables = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    rows = {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    db.close()
    return rows


def assert_same_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> None:
    assert sorted(before) == sorted(after)
    assert len(before) > 80
    different = [t for t in before if before[t] != after[t]]
    assert not different, f"tables that differ after restore: {different}"
    assert sum(len(rows) for rows in before.values()) > 10_000  # the demo, not an empty schema


def test_sqlite_backup_restores_every_table(tmp_path: Path) -> None:
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source, target = environment(source_dir), environment(target_dir)
    seed(source, source_dir)
    archive = tmp_path / "kotacerdas.tar"
    said = kotacerdas(source, "backup", str(archive)).stdout
    assert "sqlite" in said and "1 files" in said
    kotacerdas(target, "restore", str(archive))
    assert_same_tables(
        sqlite_rows(source_dir / "kotacerdas.sqlite3"), sqlite_rows(target_dir / "kotacerdas.sqlite3")
    )
    assert (target_dir / "media/evidence/2026/laporan.pdf").read_bytes().startswith(b"%PDF-1.4 evidence")
    again = kotacerdas(target, "restore", str(archive), ok=False)
    assert again.returncode != 0 and "not empty" in again.stderr
    kotacerdas(target, "restore", "--replace", str(archive))


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"not a tar file")
    done = kotacerdas(environment(tmp_path / "var"), "restore", str(bogus), ok=False)
    assert done.returncode != 0 and "is not a kotacerdas backup" in done.stderr


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the test PostgreSQL server (scripts/test starts it), dropped afterwards."""
    if not PG_URL:
        pytest.skip("KOTACERDAS_TEST_PG_URL is not set (scripts/test sets it to its PostgreSQL 15 server)")
    import psycopg

    names = ["kc_backup_source", "kc_backup_target"]
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(PG_URL)
    yield tuple(urlunsplit(parts._replace(path="/" + n)) for n in names)  # type: ignore[misc]
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pg_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
            )
        ]
        rows = {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        sequences = db.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1").fetchall()
    rows["(sequences)"] = sequences
    return rows


def test_postgresql_backup_restores_every_table(tmp_path: Path, pg_databases: tuple[str, str]) -> None:
    source_url, target_url = pg_databases
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source, target = environment(source_dir, source_url), environment(target_dir, target_url)
    seed(source, source_dir)
    archive = tmp_path / "kotacerdas-pg.tar"
    assert "postgresql" in kotacerdas(source, "backup", str(archive)).stdout
    kotacerdas(target, "restore", str(archive))
    before, after = pg_rows(source_url), pg_rows(target_url)
    assert any(t.startswith("context_attributeinstance_") for t in before), "instance partitions are missing"
    assert_same_tables(before, after)
    assert (target_dir / "media/evidence/2026/laporan.pdf").exists()
    sqlite_target = environment(tmp_path / "other")
    refused = kotacerdas(sqlite_target, "restore", str(archive), ok=False)
    assert "restore it into the same engine" in refused.stderr
