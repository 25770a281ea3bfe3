"""The KPI tests use the ingestion fixtures (Luwu Utara's gauge)."""

from tests.devices.conftest import gauge, group  # noqa: F401
from tests.monitoring.conftest import client_as  # noqa: E402, F401  (English answers for the assertions)
