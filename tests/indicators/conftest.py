"""The KPI tests use the ingestion fixtures (Luwu Utara's gauge)."""

from tests.devices.conftest import gauge, group  # noqa: F401
