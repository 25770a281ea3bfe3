"""Counts and pages of conjunctive queries driven by their cheapest condition (context.selection)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.context import jsonld, selection, services, store
from kotacerdas.context.models import AttributeValue, Entity
from kotacerdas.context.query import QueryError
from kotacerdas.context.store import EntityQuery, add_filters

from ..conftest import FUZZ_SCALE
from .conftest import Broker

pytestmark = pytest.mark.django_db

STATUSES = ["normal", "waspada", "siaga", "awas"]


def types_of(n: int) -> list[str]:
    """Most gauges are WaterObserved; some are FloodMonitoring only, some both (value rows per type)."""
    if n % 7 == 6:
        return ["FloodMonitoring"]
    return ["WaterObserved", "FloodMonitoring"] if n % 5 == 4 else ["WaterObserved"]


def water(n: int) -> bool:
    return "WaterObserved" in types_of(n)


def gauge(n: int) -> dict[str, Any]:
    """Gauge n: a level, a status, tags with repeated values and readings (lists give several index rows
    per entity, which a count must not count twice); every third gauge has a `note`."""
    entity: dict[str, Any] = {
        "id": f"urn:ngsi-ld:WaterObserved:sel:{n:03d}",
        "type": types_of(n),
        "level": {"type": "Property", "value": n % 10},
        "status": {"type": "Property", "value": STATUSES[n % 4]},
        "tags": {"type": "Property", "value": ["x"] * (n % 3) + ["y", "y"]},
        "readings": {"type": "Property", "value": [n % 5, n % 5, n % 7]},
    }
    if n % 3 == 0:
        entity["note"] = {"type": "Property", "value": "checked"}
    return entity


GAUGES = range(60)

CASES: list[tuple[str, Callable[[int], bool]]] = [
    ('level>4;status=="awas"', lambda n: n % 10 > 4 and n % 4 == 3),
    ('status=="awas";level>4', lambda n: n % 10 > 4 and n % 4 == 3),
    ('tags=="x";level<3', lambda n: n % 3 > 0 and n % 10 < 3),
    ('readings>3;status=="siaga"', lambda n: max(n % 5, n % 7) > 3 and n % 4 == 2),
    ('readings==2;tags=="y"', lambda n: 2 in (n % 5, n % 7)),
    (
        'level==2..6;readings<4;status=="normal"',
        lambda n: 2 <= n % 10 <= 6 and min(n % 5, n % 7) < 4 and n % 4 == 0,
    ),
    ("note;level>=5", lambda n: n % 3 == 0 and n % 10 >= 5),
    ("!note;level>=5", lambda n: n % 3 != 0 and n % 10 >= 5),
    ('level!=3;status=="waspada"', lambda n: n % 10 != 3 and n % 4 == 1),
    ("readings>=0", lambda n: True),
    ('status=="awas"|level==0', lambda n: n % 4 == 3 or n % 10 == 0),
]


@pytest.fixture
def gauges(broker: Broker) -> Broker:
    response = broker.post("/entityOperations/create", [gauge(n) for n in GAUGES])
    assert response.status_code == 201, response.content
    return broker


@pytest.mark.parametrize("types", ["WaterObserved", "WaterObserved,FloodMonitoring"])
@pytest.mark.parametrize("small_result", [2000, 3])
@pytest.mark.parametrize("q, expected", CASES, ids=[q for q, _ in CASES])
def test_counts_and_pages_agree_with_the_definition(
    gauges: Broker, monkeypatch: Any, small_result: int, types: str, q: str, expected: Callable[[int], bool]
) -> None:
    """Each entity once, also when it has both asked types (its value rows are there once per type)."""
    monkeypatch.setattr(selection, "SMALL_RESULT", small_result)  # pages from the driving rows, or not
    typed = water if types == "WaterObserved" else (lambda n: True)
    wanted = [f"urn:ngsi-ld:WaterObserved:sel:{n:03d}" for n in GAUGES if typed(n) and expected(n)]
    response = gauges.get(f"/entities?type={types}&q={q}&count=true&limit=100")
    assert response.status_code == 200, response.content
    assert response["NGSILD-Results-Count"] == str(len(wanted))
    assert [e["id"] for e in response.json()] == wanted  # in key order, each once
    second = gauges.get(f"/entities?type={types}&q={q}&count=true&limit=2&offset=2").json()
    assert [e["id"] for e in second] == wanted[2:4]


def test_a_joined_count_of_conditions_that_match_nothing_is_zero(gauges: Broker) -> None:
    rows = AttributeValue.objects.all()
    with_big_number = Entity.objects.filter(value_rows__number__gte=5).distinct().count()
    assert with_big_number > 0
    assert selection.joined_count(rows, [rows.filter(number__gte=5)]) == with_big_number
    assert selection.joined_count(rows.none(), [rows]) == 0
    assert selection.joined_count(rows, [rows.filter(pk__in=[])]) == 0


def test_the_cheapest_condition_drives(gauges: Broker) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL hashes every condition's rows: no condition is cheaper to drive")
    tenant = services.tenant_for_read("")
    spec = add_filters(
        EntityQuery(types=[], count=True), jsonld.core_term_map(), 'level>0;status=="awas"', None
    )
    plan = selection.driven(tenant, spec)
    assert plan is not None and plan.driver.name.endswith("/status")  # 18 rows against 65 (some typed twice)
    spec = add_filters(EntityQuery(count=True), jsonld.core_term_map(), 'level>8;status=="awas"', None)
    plan = selection.driven(tenant, spec)
    assert plan is not None and plan.driver.name.endswith("/level")  # 12 rows against 18
    assert plan.count(tenant, spec) == 3
    flood = jsonld.core_term_map().expand("FloodMonitoring")
    only_flood = EntityQuery(types=[flood], count=True)
    spec = add_filters(only_flood, jsonld.core_term_map(), 'level>8;status=="awas"', None)
    plan = selection.driven(tenant, spec)
    assert plan is not None and plan.count(tenant, spec) == 3  # 19, 39 and 59 are FloodMonitoring too
    spec = add_filters(only_flood, jsonld.core_term_map(), 'level>0;status=="awas"', None)
    plan = selection.driven(tenant, spec)  # status: 5 rows (one type, in entity order) against 18
    assert plan is not None and plan.driver.name.endswith("/status")
    assert plan.count(tenant, spec) == len(
        [n for n in GAUGES if "FloodMonitoring" in types_of(n) and n % 10 and n % 4 == 3]
    )


def test_on_postgresql_a_condition_in_entity_order_drives(gauges: Broker) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts the conditions' rows to choose")
    tenant = services.tenant_for_read("")
    terms = jsonld.core_term_map()
    water_only = EntityQuery(types=[terms.expand("WaterObserved")])
    spec = add_filters(water_only, terms, 'level>8;status=="awas"', None)
    with CaptureQueriesContext(connection) as queries:
        plan = selection.driven(tenant, spec)
    assert plan is not None and plan.driver.name.endswith("/status") and not queries.captured_queries
    spec = add_filters(EntityQuery(types=[]), terms, 'level>8;status=="awas"', None)
    plan = selection.driven(tenant, spec)  # two types possible: no condition's rows come in entity order
    assert plan is not None and plan.driver.name.endswith("/level")


def test_queries_that_are_not_a_conjunction_of_index_conditions_are_not_driven(gauges: Broker) -> None:
    tenant = services.tenant_for_read("")
    terms = jsonld.core_term_map()
    for q in ('status=="awas"|level==0', "!note", "level!=3", "status~=aw"):
        assert selection.driven(tenant, add_filters(EntityQuery(count=True), terms, q, None)) is None, q
    with_ids = EntityQuery(ids=["urn:ngsi-ld:WaterObserved:sel:001"], count=True)
    assert selection.driven(tenant, add_filters(with_ids, terms, "level>0", None)) is None


def test_names_are_numbered_once_and_a_rollback_takes_new_numbers_back(gauges: Broker) -> None:
    level, new = jsonld.core_term_map().expand("level"), "urn:kotacerdas:test:never-used"
    known = store.name_keys([level, new])
    assert list(known) == [level]  # a name no entity used has no number
    with pytest.raises(RuntimeError), transaction.atomic():
        added = store.name_keys([new], add=True)
        assert store.name_keys([new]) == added and added[new] not in known.values()
        raise RuntimeError("the write fails after numbering")
    assert store.name_keys([new]) == {}
    assert store.name_keys([level, new], add=True)[level] == known[level]


def test_a_condition_on_a_name_no_entity_has(gauges: Broker) -> None:
    everything = gauges.get("/entities?type=WaterObserved&count=true&limit=0")["NGSILD-Results-Count"]
    for q, count in (("absent>1", "0"), ("absent;level>0", "0"), ("!absent", everything)):
        response = gauges.get(f"/entities?type=WaterObserved&q={q}&count=true&limit=0")
        assert response.status_code == 200, response.content
        assert response["NGSILD-Results-Count"] == count, q
    response = gauges.get("/entities?type=WaterObserved&attrs=absent&count=true&limit=0")
    assert response.status_code == 200 and response["NGSILD-Results-Count"] == "0"


values = st.one_of(
    st.integers(min_value=-1, max_value=11).map(str),
    st.sampled_from(
        ['"awas"', '"siaga"', '"x"', '"y"', '"checked"', "true", "2..6", "1,3,8", '"x","normal"']
    ),
)
leaves = st.one_of(
    st.builds(
        "{}{}{}".format,
        st.sampled_from(["level", "status", "tags", "readings", "note", "absent"]),  # no entity has "absent"
        st.sampled_from(["==", "!=", ">", ">=", "<", "<="]),
        values,
    ),
    st.sampled_from(["note", "!note", "tags", "!readings", "absent", "!absent"]),
)
conjunctions = st.lists(leaves, min_size=1, max_size=3).map(";".join)
queries = st.one_of(conjunctions, st.lists(conjunctions, min_size=2, max_size=2).map("|".join))


@settings(
    max_examples=60 * FUZZ_SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=queries, types=st.sampled_from(["WaterObserved", "FloodMonitoring", "FloodMonitoring,WaterObserved"])
)
def test_sql_counts_and_pages_agree_with_the_pure_evaluator(gauges: Broker, q: str, types: str) -> None:
    """Whatever plan answers it (driven, listed, or checked in Python), a query finds what `query.matches`
    says, each entity once, in key order."""
    response = gauges.get(f"/entities?type={types}&q={quote(q)}&count=true&limit=100")
    try:
        spec = add_filters(EntityQuery(), jsonld.core_term_map(), q, None)
    except QueryError:  # e.g. a range after >: the grammar refuses it, and so does the API
        assert response.status_code == 400, response.content
        return
    assert response.status_code == 200, response.content
    asked = {jsonld.core_term_map().expand(t) for t in types.split(",")}
    stored = [store.stored_form(e) for e in Entity.objects.order_by("pk")]
    wanted = [s["id"] for s in stored if asked & set(s["type"]) and store.matches(s, spec)]
    assert response["NGSILD-Results-Count"] == str(len(wanted)), q
    assert [e["id"] for e in response.json()] == wanted, q
