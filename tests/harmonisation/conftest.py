"""The IKN cluster of the demo data, with its members' example plans; English answers."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.harmonisation.demo import seed_clusters
from kotacerdas.harmonisation.models import Cluster
from tests.monitoring.conftest import client_as  # noqa: F401


@pytest.fixture
def ikn(users: dict[str, Any]) -> Cluster:
    seed_clusters()
    return Cluster.objects.get()
