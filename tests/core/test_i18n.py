"""Bahasa Indonesia by default, English by a switch, id_ID number and rupiah formats."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from kotacerdas.core.templatetags.kc import number, rupiah

pytestmark = pytest.mark.django_db


def test_indonesian_is_the_default(client: Client) -> None:
    body = client.get("/").content.decode()
    assert '<html lang="id">' in body
    assert "Gerakan Menuju Smart City: peta nasional" in body


def test_english_by_the_switch(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/regions/"})
    assert response.status_code == 302
    body = client.get("/regions/").content.decode()
    assert '<html lang="en">' in body and "Kabupaten/kota registry" in body


def test_browser_language_is_honoured(client: Client) -> None:
    body = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "Smart city movement: the national map" in body


def test_number_and_rupiah_formats() -> None:
    with translation.override("id"):
        assert number(1234567.5) == "1.234.567,5"
        assert rupiah(1500000) == "Rp 1.500.000"
    with translation.override("en"):
        assert number(1234567.5) == "1,234,567.5"
        assert rupiah(1500000) == "IDR 1,500,000"
    assert number(None) == "–"


def test_dates_use_the_indonesian_month_names() -> None:
    from datetime import date

    from django.utils.formats import date_format

    with translation.override("id"):
        assert date_format(date(2022, 4, 14), "j F Y") == "14 April 2022"
        assert date_format(date(2022, 8, 17), "j F Y") == "17 Agustus 2022"


def test_business_rule_messages_are_translated(participation_a: object, users: dict[str, object]) -> None:
    from django.core.exceptions import ValidationError

    from kotacerdas.assessment import services

    submission = services.submission_for(participation_a)
    with translation.override("id"), pytest.raises(ValidationError) as err:
        services.submit(users["officer_a"], submission)
    assert "S1 belum dijawab." in err.value.messages
