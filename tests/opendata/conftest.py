"""English pages for the assertions (the default language is Bahasa Indonesia)."""

from tests.monitoring.conftest import client_as  # noqa: F401
