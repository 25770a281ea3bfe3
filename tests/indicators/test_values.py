"""Indicator values: entering, importing (all or nothing), taking computed KPIs, national indicators."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from kotacerdas.indicators import values
from kotacerdas.indicators.models import Indicator, IndicatorValue, KpiBinding, KpiValue

pytestmark = pytest.mark.django_db
ACCESS = "EC: ICT: ICT: 1C"  # %


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def body(**change: Any) -> dict[str, Any]:
    return {
        "indicator": ACCESS,
        "region": "73.22",
        "year": 2025,
        "value": 61.5,
        "source": "BPS Susenas",
        **change,
    }


def test_officer_enters_a_value_for_its_region_only(client_as: Any) -> None:
    created = post(client_as("officer_a"), "/api/indicators/values", body())
    assert created.status_code == 201 and created.json()["method"] == "manual"
    assert post(client_as("officer_b"), "/api/indicators/values", body()).status_code == 403
    assert post(client_as("national_reviewer"), "/api/indicators/values", body()).status_code == 403
    corrected = post(client_as("national_admin"), "/api/indicators/values", body(value=62))
    assert corrected.status_code == 201 and IndicatorValue.objects.get().value == 62


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": 140}, "outside the plausible range"),
        ({"value": -1}, "outside the plausible range"),
        ({"unit": "per 1000"}, "is measured in %, not per 1000"),
        ({"year": 2099}, "The year must be between"),
        ({"source": " "}, "Name the source"),
    ],
)
def test_bad_values_are_refused(client_as: Any, change: dict[str, Any], message: str) -> None:
    refused = post(client_as("officer_a"), "/api/indicators/values", body(**change))
    assert refused.status_code == 400 and message in refused.json()["detail"]
    assert not IndicatorValue.objects.exists()


def test_plausible_bounds_of_the_indicator_win() -> None:
    indicator = Indicator.objects.get(code=ACCESS)
    indicator.plausible_max = 90
    assert values.bounds(indicator) == (0.0, 90)
    assert values.value_errors(indicator, 95)


def xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    for row in [["indicator", "region", "year", "value", "source", "unit"], *rows]:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("nilai.xlsx", data.getvalue())


def test_import_is_all_or_nothing_with_row_errors(client_as: Any) -> None:
    client = client_as("officer_a")
    good = [[ACCESS, "73.22", 2024, 55, "BPS", "%"], [ACCESS, "73.22", 2025, 61, "BPS", None]]
    bad = [
        *good,
        [ACCESS, "32.76", 2025, 70, "BPS", "%"],
        ["NOPE", "73.22", 2025, 1, "BPS", None],
        [ACCESS, "73.22", 2023, 101, "BPS", None],
    ]
    refused = client.post("/api/indicators/values/import", {"file": xlsx(bad)})
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert "row 4: you may not enter values for region 32.76" in errors
    assert "row 5: unknown indicator NOPE" in errors
    assert any(e.startswith("row 6:") and "plausible range" in e for e in errors)
    assert not IndicatorValue.objects.exists()
    stored = client.post("/api/indicators/values/import", {"file": xlsx(good)})
    assert stored.status_code == 200 and stored.json()["stored"] == 2
    assert set(IndicatorValue.objects.values_list("method", flat=True)) == {"import"}
    duplicate = client.post("/api/indicators/values/import", {"file": xlsx([good[0], good[0]])})
    assert "appear twice" in duplicate.json()["detail"]
    not_a_workbook = client.post(
        "/api/indicators/values/import", {"file": SimpleUploadedFile("x.xlsx", b"zip?")}
    )
    assert not_a_workbook.status_code == 400 and "readable .xlsx" in not_a_workbook.json()["detail"]


def test_values_page_enters_and_imports(client_as: Any) -> None:
    client = client_as("officer_a")
    page = client.post("/indicators/values/", {**body(value="abc"), "unit": ""})
    assert page.status_code == 400 and "abc is not a number" in page.content.decode()
    assert client.post("/indicators/values/", {**body(), "unit": ""}).status_code == 302
    assert (
        client.post(
            "/indicators/values/import/", {"file": xlsx([[ACCESS, "73.22", 2024, 50, "BPS", "%"]])}
        ).status_code
        == 302
    )
    assert IndicatorValue.objects.count() == 2
    assert client_as("partner").get("/indicators/values/").status_code == 403


def test_computed_kpis_become_yearly_values_but_never_replace_entered_ones(users: dict[str, Any]) -> None:
    indicator = Indicator.objects.get(code=ACCESS)
    binding = KpiBinding.objects.create(indicator=indicator, entity_type="X", attribute="y", method="avg")
    other = KpiBinding.objects.create(
        indicator=Indicator.objects.exclude(pk=indicator.pk).first(),
        entity_type="X",
        attribute="y",
        method="avg",
    )
    for b, region, month, number in (
        (binding, "73.22", 1, 40),
        (binding, "73.22", 2, 60),
        (other, "73.22", 1, 5),
        (binding, "32.76", 1, 70),
    ):
        KpiValue.objects.create(
            binding=b,
            region_id=region,
            period_start=date(2025, month, 1),
            period_end=date(2025, month + 1, 1),
            value=number,
            reading_count=10,
            query="avg(X.y)",
            computed_at=timezone.now(),
        )
    values.enter_value(users["officer_b"], indicator, "32.76", 2025, 66, "BPS")
    assert values.take_live_values(2025) == 2
    computed = IndicatorValue.objects.get(indicator=indicator, region_id="73.22")
    assert computed.value == 50 and computed.method == "computed" and "mean of 2" in computed.source
    assert IndicatorValue.objects.get(indicator=indicator, region_id="32.76").value == 66


def test_national_indicators_and_goalposts(client_as: Any) -> None:
    spbe = {
        "code": "ID-SPBE",
        "name": "Indeks SPBE",
        "unit": "indeks 0–5",
        "direction": "higher",
        "pillar": "governance",
        "goal_min": 1.8,
        "goal_max": 4.2,
    }
    assert post(client_as("officer_a"), "/api/indicators", spbe).status_code == 403
    created = post(client_as("national_admin"), "/api/indicators", spbe)
    assert created.status_code == 201 and created.json()["level"] == "national"
    again = post(client_as("national_admin"), "/api/indicators", spbe)
    assert again.status_code == 400 and "not in the catalogue yet" in again.json()["detail"]
    bad_posts = post(client_as("national_admin"), "/api/indicators", {**spbe, "code": "ID-X", "goal_min": 5})
    assert "lower goalpost must be below" in bad_posts.json()["detail"]
    url = "/api/indicators/ID-SPBE/goalposts"
    moved = client_as("national_admin").put(
        url, json.dumps({"goal_min": 2.6, "goal_max": 5}), content_type="application/json"
    )
    assert moved.status_code == 200 and Indicator.objects.get(code="ID-SPBE").goal_min == 2.6
    one = client_as("national_admin").put(url, json.dumps({"goal_min": 2.6}), content_type="application/json")
    assert one.status_code == 400
    assert client_as(None).get("/api/indicators?level=national").json()["count"] == 1


def test_values_page_and_api_share_one_filter(client_as: Any, users: dict[str, Any]) -> None:
    indicator = Indicator.objects.get(code=ACCESS)
    for year in (2024, 2025):
        values.enter_value(users["officer_a"], indicator, "73.22", year, 50 + year % 10, "BPS")
    api = client_as("officer_a").get("/api/indicators/values?year=2025").json()
    assert [v["year"] for v in api["items"]] == [2025]
    page = client_as("officer_a").get("/indicators/values/?year=2025").content.decode()
    assert "<td>2025</td>" in page and "<td>2024</td>" not in page
    bad = client_as("officer_a").get("/indicators/values/?year=tahun").content.decode()
    assert "Some filters are not valid" in bad


def test_evidence_is_checked_with_the_other_fields(users: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.get(code=ACCESS)
    fake = SimpleUploadedFile("bukti.pdf", b"no pdf here")
    with pytest.raises(ValidationError) as refused:
        values.enter_value(users["officer_a"], indicator, "73.22", 2025, 140, "BPS", evidence=fake)
    assert len(refused.value.messages) == 2  # the implausible value and the file, together
    real = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti")
    row = values.enter_value(users["officer_a"], indicator, "73.22", 2025, 61, "BPS", evidence=real)
    assert row.evidence.name.endswith(".pdf")
