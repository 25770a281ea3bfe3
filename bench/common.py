"""What every benchmark needs: a fresh, migrated, seeded database (SQLite file by default)."""

from __future__ import annotations

import os
import tempfile


def prepare_database(database_url: str | None) -> None:
    """Point kotacerdas at a fresh data dir (or the given database), migrate and import the regions."""
    os.environ["KOTACERDAS_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-")
    os.environ.setdefault("KOTACERDAS_FAST_PASSWORD_HASHER", "1")
    if database_url:
        os.environ["KOTACERDAS_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("import_regions", no_progress=True, verbosity=0, stdout=quiet)
