"""Region pages: list with filters and htmx fragment, detail, profile editing, import; query budgets."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from kotacerdas.regions.models import ProfileFact

pytestmark = pytest.mark.django_db


def test_list_page_shows_all_regions_within_query_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        response = client.get("/regions/")
    assert response.status_code == 200
    assert "514" in response.content.decode()
    assert "Kabupaten Aceh Selatan" in response.content.decode()


def test_list_filters_and_htmx_fragment(client: Client) -> None:
    response = client.get("/regions/?province=73&kind=kota", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # a fragment for htmx
    assert "Kota Palopo" in body and "Kabupaten Luwu Utara" not in body


def test_bad_filter_is_a_400_page_with_the_reason(client: Client) -> None:
    response = client.get("/regions/?kind=desa")
    assert response.status_code == 400
    assert "kind" in response.content.decode()


def test_detail_page(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        response = client.get("/regions/73.22/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kabupaten Luwu Utara" in body and "Sulawesi Selatan" in body


def test_region_without_coordinates_says_so(client: Client) -> None:
    body = client.get("/regions/12.75/").content.decode()  # Kota Binjai
    assert 'data-testid="no-coordinates"' in body


def test_unknown_region_is_a_friendly_404_in_indonesian(client: Client) -> None:
    response = client.get("/regions/99.99/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_unknown_url_404_in_english_when_chosen(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_admin_saves_a_profile_value(client_as: Callable[[str | None], Client]) -> None:
    client = client_as("national_admin")
    response = client.post(
        "/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "70.1", "source": "BPS"}
    )
    assert response.status_code == 302
    assert ProfileFact.objects.get(region_id="73.22", metric="ipm").value_number == Decimal("70.1")


def test_profile_form_shows_field_errors(client_as: Callable[[str | None], Client]) -> None:
    response = client_as("national_admin").post(
        "/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "120", "source": "BPS"}
    )
    assert response.status_code == 400
    assert "ipm must be at most 100" in response.content.decode()
    assert not ProfileFact.objects.exists()


@pytest.mark.parametrize("who", [None, "officer_a", "national_reviewer", "partner"])
def test_only_national_admins_edit_profiles(
    client_as: Callable[[str | None], Client], who: str | None
) -> None:
    response = client_as(who).post(
        "/regions/73.22/profile/", {"metric": "ipm", "year": "2023", "value": "70", "source": "BPS"}
    )
    assert response.status_code == (302 if who is None else 403)
    if who is None:
        assert "/account/login/" in response["Location"]
    assert not ProfileFact.objects.exists()


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "profil.xlsx"
    return data


def test_xlsx_import(client_as: Callable[[str | None], Client]) -> None:
    upload = _xlsx(
        [["region_code", "metric", "year", "value", "source"], ["73.22", "population", 2023, 322919, "BPS"]]
    )
    response = client_as("national_admin").post("/regions/import/", {"file": upload})
    assert response.status_code == 302
    assert ProfileFact.objects.filter(region_id="73.22").count() == 1


def test_csv_import_with_bad_rows_writes_nothing(client_as: Callable[[str | None], Client]) -> None:
    csv = b"region_code;metric;year;value;source\n73.22;population;2023;322919;BPS\n73.22;ipm;2023;abc;BPS\n"
    upload = io.BytesIO(csv)
    upload.name = "profil.csv"
    response = client_as("national_admin").post("/regions/import/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "abc&#x27; is not a number" in body
    assert not ProfileFact.objects.exists()


def test_import_refuses_other_file_types(client_as: Callable[[str | None], Client]) -> None:
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "profil.pdf"
    response = client_as("national_admin").post("/regions/import/", {"file": upload})
    assert response.status_code == 400
    assert ".xlsx" in response.content.decode()


def test_import_refuses_a_damaged_workbook(client_as: Callable[[str | None], Client]) -> None:
    upload = io.BytesIO(b"not a zip")
    upload.name = "profil.xlsx"
    response = client_as("national_admin").post("/regions/import/", {"file": upload})
    assert response.status_code == 400
    assert "not a readable .xlsx" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("national_admin", 200), ("officer_a", 403), (None, 302)])
def test_import_page_permission(
    client_as: Callable[[str | None], Client], who: str | None, status: int
) -> None:
    assert client_as(who).get("/regions/import/").status_code == status
