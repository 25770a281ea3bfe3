"""Many-row updates (core.bulk): one statement on PostgreSQL, executemany on SQLite, the same rows after."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.db import connection

from kotacerdas.context.models import Entity, Tenant
from kotacerdas.context.store import ENTITY_COLUMNS
from kotacerdas.core.bulk import update_by_pk, update_rows

pytestmark = pytest.mark.django_db

AWKWARD = 'kata "kutip", garis miring \\ dan \\" dan baris\nbaru, ümlaut, 雨, emoji 🌧, {"bukan": json}'


def _entities(count: int) -> list[Entity]:
    tenant = Tenant.objects.create(name="bulk")
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    return [
        Entity.objects.create(
            tenant=tenant, entity_id=f"urn:ngsi-ld:T:{n}", created_at=moment, modified_at=moment
        )
        for n in range(count)
    ]


def test_update_rows_writes_every_value_as_given() -> None:
    entities = _entities(3)
    later = datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=UTC)
    values = [
        (
            ["urn:T"],
            {"a": [{"type": "Property", "value": AWKWARD}]},
            None,
            later,
            1.5,
            -2.25,
            float("inf"),
            0.1,
        ),
        ([AWKWARD], {"b\\": {"nested": [1, None, True]}}, ["/Masamba"], later, None, None, None, None),
        ([], {}, {"k": AWKWARD}, later, -1e300, 1e-300, float("-inf"), 3.0),
    ]
    rows = [
        (
            json.dumps(types),
            json.dumps(data),
            json.dumps(scope) if scope is not None else None,
            connection.ops.adapt_datetimefield_value(moment),
            *box,
            entity.pk,
        )
        for entity, (types, data, scope, moment, *box) in zip(entities, values, strict=True)
    ]
    with connection.cursor() as cursor:
        update_rows(cursor, "context_entity", "id", ENTITY_COLUMNS, rows)
    for entity, (types, data, scope, moment, *box) in zip(entities, values, strict=True):
        entity.refresh_from_db()
        assert (entity.types, entity.data, entity.scope, entity.modified_at) == (types, data, scope, moment)
        assert [entity.min_lon, entity.min_lat, entity.max_lon, entity.max_lat] == box


def test_update_by_pk_takes_json_values_of_any_shape() -> None:
    entities = _entities(4)
    scopes = [AWKWARD, ["/a", "/b"], {"deep": {"x": [AWKWARD]}}, 42]
    update_by_pk(Entity, "scope", [(e.pk, s) for e, s in zip(entities, scopes, strict=True)])
    assert [Entity.objects.get(pk=e.pk).scope for e in entities] == scopes


def test_update_rows_with_no_rows_does_nothing() -> None:
    with connection.cursor() as cursor:
        update_rows(cursor, "context_entity", "id", ENTITY_COLUMNS, [])
