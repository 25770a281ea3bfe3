"""The temporal API: history kept per change, retrieval, aggregation (SQL agrees with the pure module)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.context import temporal

from .conftest import Broker, water

pytestmark = pytest.mark.django_db
ID = "urn:ngsi-ld:WaterObserved:73.22:gauge-001"
START = datetime(2026, 11, 20, tzinfo=UTC)


def at(minutes: float) -> str:
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def reading(level: float, minutes: float) -> dict:
    return {"waterLevel": {"type": "Property", "value": level, "unitCode": "MTR", "observedAt": at(minutes)}}


@pytest.fixture
def gauge(broker: Broker) -> Broker:
    """One gauge with 6 readings, every 30 minutes from 00:00: 1.0, 1.5, 2.0, 2.5, 3.0, 3.5 m."""
    entity = water(level=1.0)
    entity["waterLevel"]["observedAt"] = at(0)
    assert broker.post("/entities", entity).status_code == 201
    for step in range(1, 6):
        assert broker.patch(f"/entities/{ID}/attrs", reading(1.0 + step * 0.5, step * 30)).status_code == 204
    return broker


def test_every_change_is_an_instance(gauge: Broker) -> None:
    body = gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel").json()
    values = [i["value"] for i in body["waterLevel"]]
    assert values == [1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    assert all(i["instanceId"].startswith("urn:ngsi-ld:attribute:instance:") for i in body["waterLevel"])
    simple = gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel&options=temporalValues").json()
    assert simple["waterLevel"]["values"][0] == [1.0, at(0)]
    last = gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel&lastN=2").json()
    assert [i["value"] for i in last["waterLevel"]] == [3.0, 3.5]
    window = gauge.get(
        f"/temporal/entities/{ID}?attrs=waterLevel&timerel=between&timeAt={at(30)}&endTimeAt={at(90)}"
    )
    assert [i["value"] for i in window.json()["waterLevel"]] == [1.5, 2.0]
    before = gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel&timerel=before&timeAt={at(31)}").json()
    assert len(before["waterLevel"]) == 2
    after = gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel&timerel=after&timeAt={at(120)}").json()
    assert [i["value"] for i in after["waterLevel"]] == [3.0, 3.5]


def test_unchanged_values_add_no_instance(gauge: Broker) -> None:
    same = {"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [120.3, -2.6]}}}
    gauge.patch(f"/entities/{ID}/attrs", same)
    history = gauge.get(f"/temporal/entities/{ID}?attrs=location").json()
    assert len(history["location"]) == 1


def test_hourly_aggregation(gauge: Broker) -> None:
    url = (
        f"/temporal/entities/{ID}?attrs=waterLevel&options=aggregatedValues&timerel=between"
        f"&timeAt={at(0)}&endTimeAt={at(180)}&aggrPeriodDuration=PT1H&aggrMethods=avg,min,max,totalCount,sum"
    )
    body = gauge.get(url).json()["waterLevel"]
    assert [row[0] for row in body["avg"]] == [1.25, 2.25, 3.25]
    assert [row[0] for row in body["totalCount"]] == [2, 2, 2]
    assert body["max"][2] == [3.5, "2026-11-20T02:00:00Z", "2026-11-20T03:00:00Z"]
    monthly = gauge.get(
        url.replace("PT1H", "P1M").replace("avg,min,max,totalCount,sum", "distinctCount")
    ).json()
    assert monthly["waterLevel"]["distinctCount"][0][0] == 6


@pytest.mark.parametrize(
    "params",
    [
        "options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=PT0S",
        "options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=1 hour",
        "options=aggregatedValues&aggrMethods=median&aggrPeriodDuration=PT1H",
        "options=aggregatedValues&aggrMethods=avg",
        "timerel=between&timeAt=2026-11-20T00:00:00Z",
        "timerel=after&timeAt=yesterday",
        "timerel=after&timeAt=2026-11-20T00:00:00",
        "timerel=during&timeAt=2026-11-20T00:00:00Z",
        "lastN=-1",
    ],
)
def test_bad_temporal_parameters_are_400(gauge: Broker, params: str) -> None:
    response = gauge.get(f"/temporal/entities/{ID}?{params}")
    assert response.status_code == 400, response.content
    assert response.json()["type"].endswith("BadRequestData")


def test_temporal_query_over_entities(gauge: Broker) -> None:
    gauge.post("/entities", water(2, level=9.0))
    response = gauge.get(
        f"/temporal/entities?type=WaterObserved&timerel=after&timeAt={at(-1)}&attrs=waterLevel&count=true"
    )
    assert response["NGSILD-Results-Count"] == "2"
    by_id = {e["id"]: e for e in response.json()}
    assert len(by_id[ID]["waterLevel"]) == 6
    assert gauge.get("/temporal/entities?type=WaterObserved").status_code == 400  # needs timerel or lastN
    body = {
        "type": "Query",
        "entities": [{"type": "WaterObserved"}],
        "q": "waterLevel>5",
        "temporalQ": {"timerel": "after", "timeAt": at(-1)},
    }
    found = gauge.post("/temporal/entityOperations/query", body).json()
    assert [e["id"] for e in found] == ["urn:ngsi-ld:WaterObserved:73.22:gauge-002"]


def test_instances_can_be_added_patched_and_deleted(gauge: Broker) -> None:
    late = {"waterLevel": [{"type": "Property", "value": 0.5, "observedAt": at(-60)}]}
    assert gauge.post(f"/temporal/entities/{ID}/attrs", late).status_code == 204
    history = gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel").json()["waterLevel"]
    assert history[0]["value"] == 0.5 and len(history) == 7
    assert gauge.get(f"/entities/{ID}?options=keyValues").json()["waterLevel"] == 3.5  # current stays newest

    first = history[0]["instanceId"]
    patched = gauge.patch(f"/temporal/entities/{ID}/attrs/waterLevel/{first}", {"value": 0.7})
    assert patched.status_code == 204
    assert gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel").json()["waterLevel"][0]["value"] == 0.7
    hourly = (
        f"/temporal/entities/{ID}?attrs=waterLevel&options=aggregatedValues&aggrMethods=sum,totalCount"
        f"&aggrPeriodDuration=PT1H&timerel=between&timeAt={at(-60)}&endTimeAt={at(180)}"
    )  # whole hours: answered from the hourly rollups, which must follow the patch
    rolled = gauge.get(hourly).json()["waterLevel"]
    assert [row[0] for row in rolled["totalCount"]] == [1, 2, 2, 2]
    assert rolled["sum"][0][0] == pytest.approx(0.7)
    assert gauge.delete(f"/temporal/entities/{ID}/attrs/waterLevel/{first}").status_code == 204
    assert gauge.delete(f"/temporal/entities/{ID}/attrs/waterLevel/{first}").status_code == 404
    assert len(gauge.get(f"/temporal/entities/{ID}?attrs=waterLevel").json()["waterLevel"]) == 6
    assert [row[0] for row in gauge.get(hourly).json()["waterLevel"]["totalCount"]] == [2, 2, 2]
    assert gauge.delete(f"/temporal/entities/{ID}/attrs/waterLevel").status_code == 204
    assert "waterLevel" not in gauge.get(f"/temporal/entities/{ID}").json()
    assert gauge.delete(f"/temporal/entities/{ID}").status_code == 204
    assert gauge.get(f"/temporal/entities/{ID}").status_code == 404


def test_post_temporal_entity_creates_it_with_its_history(broker: Broker) -> None:
    body = {
        "id": "urn:ngsi-ld:WaterObserved:73.22:gauge-050",
        "type": "WaterObserved",
        "waterLevel": [
            {"type": "Property", "value": 1.1, "observedAt": at(0)},
            {"type": "Property", "value": 1.4, "observedAt": at(10)},
        ],
    }
    assert broker.post("/temporal/entities", body).status_code == 201
    assert broker.get(f"/entities/{body['id']}?options=keyValues").json()["waterLevel"] == 1.4
    values = broker.get(f"/temporal/entities/{body['id']}?options=temporalValues").json()["waterLevel"][
        "values"
    ]
    assert [v[0] for v in values] == [1.1, 1.4]
    body["waterLevel"] = [{"type": "Property", "value": 2}]
    assert broker.post("/temporal/entities", body).status_code == 400  # observedAt is required


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    readings=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=6 * 60),
            st.floats(min_value=-50, max_value=50, allow_nan=False),
        ),
        min_size=1,
        max_size=30,
    ),
    period=st.sampled_from(["PT15M", "PT1H", "PT2H30M", "P1D"]),
)
def test_sql_aggregation_agrees_with_the_pure_module(broker: Broker, readings: list, period: str) -> None:
    from kotacerdas.context import history
    from kotacerdas.context.models import Entity
    from kotacerdas.context.services import tenant_for_write

    body = {
        "id": "urn:ngsi-ld:WaterObserved:agg",
        "type": "WaterObserved",
        "waterLevel": [{"type": "Property", "value": v, "observedAt": at(m)} for m, v in readings],
    }
    broker.delete(f"/temporal/entities/{body['id']}")
    assert broker.post("/temporal/entities", body).status_code == 201
    entity = Entity.objects.get(tenant=tenant_for_write(""), entity_id=body["id"])
    name = "https://uri.etsi.org/ngsi-ld/default-context/waterLevel"
    methods = ["totalCount", "sum", "avg", "min", "max", "stddev", "sumsq"]
    tq = history.TemporalQuery(
        "between", int(START.timestamp() * 1000), int((START + timedelta(hours=7)).timestamp() * 1000)
    )
    by_sql = history.aggregate(entity.pk, name, tq, methods, period)
    by_pure = temporal.aggregate(
        [(START + timedelta(minutes=m), v) for m, v in readings],
        methods,
        period,
        START,
        START + timedelta(hours=7),
    )
    assert by_sql is not None
    for method in methods:
        assert [row[1:] for row in by_sql[method]] == [row[1:] for row in by_pure[method]], method
        for mine, theirs in zip(by_sql[method], by_pure[method], strict=True):
            assert mine[0] == pytest.approx(theirs[0], rel=1e-9, abs=1e-6), method
