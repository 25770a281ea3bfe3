"""The southbound parsers (pure): UltraLight 2.0, JSON, topics and typing, plus a fuzz of 10,000 payloads
per parser that must either parse or fail with a PayloadError (never anything else)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.devices.payloads import (
    Measure,
    PayloadError,
    parse_json,
    parse_topic,
    parse_ultralight,
    typed,
)

T0 = 1_795_305_600_000  # 2026-11-22T00:00:00Z


def test_ultralight_pairs_and_groups_with_timestamps() -> None:
    measures = parse_ultralight(b"2026-11-22T00:00:00Z|l|2.4|t|27#l|2.6")
    assert measures == [
        Measure("l", "2.4", T0),
        Measure("t", "27", T0),
        Measure("l", "2.6", None),
    ]


def test_ultralight_single_attribute_topic_takes_the_bare_value() -> None:
    assert parse_ultralight(b" 3.1 ", "l") == [Measure("l", "3.1")]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty"),
        (b"l|2.4|t", "odd number"),
        (b"2026-11-22T00:00:00Z", "no measures"),
        (b"2026-13-40T00:00:00Z|l|1", "not an ISO 8601"),
        (b"2026-11-22T00:00:00|l|1", "no time zone"),
        (b"|2.4", "empty key"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_ultralight_refuses_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        parse_ultralight(payload)


def test_json_object_list_and_timestamp() -> None:
    assert parse_json(b'{"l": 2.4, "TimeInstant": "2026-11-22T08:00:00+08:00"}') == [Measure("l", 2.4, T0)]
    assert parse_json(b'[{"l": 1}, {"l": 2}]') == [Measure("l", 1), Measure("l", 2)]
    assert parse_json(b"2.5", "l") == [Measure("l", 2.5)]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{", "not valid JSON"),
        (b"NaN", "not valid JSON"),
        (b"[]", "empty"),
        (b"[1]", "not a JSON object"),
        (b"{}", "no measures"),
        (b'{"l": 1, "TimeInstant": 5}', "ISO 8601 string"),
    ],
)
def test_json_refuses_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        parse_json(payload)


def test_topics() -> None:
    assert parse_topic("/key/dev/attrs").device_id == "dev"
    assert parse_topic("key/dev/attrs/l").attribute == "l"
    for bad in ("/key/dev", "/key/dev/cmd", "//dev/attrs", "/key/dev/attrs/"):
        with pytest.raises(PayloadError):
            parse_topic(bad)


def test_typing_by_the_mapping() -> None:
    assert typed("2,5", "Number", "l") == 2.5
    assert typed("3", "Integer", "n") == 3
    assert typed("true", "Boolean", "b") is True
    assert typed("-2.55,120.33", "geo:point", "p") == {"type": "Point", "coordinates": [120.33, -2.55]}
    for value, kind in (
        ("abc", "Number"),
        ("2.5", "Integer"),
        ("inf", "Number"),
        ("maybe", "Boolean"),
        ("91,0", "geo:point"),
    ):
        with pytest.raises(PayloadError):
            typed(value, kind, "x")


def _only_payload_errors(parse, payload: bytes, attribute: str | None) -> None:
    try:
        measures = parse(payload, attribute)
    except PayloadError as exc:
        assert str(exc)
        return
    assert measures and all(isinstance(m, Measure) for m in measures)
    for measure in measures:
        for kind in ("Number", "Integer", "Boolean", "Text", "geo:point"):
            try:
                typed(measure.value, kind, measure.object_id)
            except PayloadError as exc:
                assert str(exc)


payload_bytes = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet='0123456789.,-|#:TZ+ abcl\n{}[]"', max_size=120).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=12,
    ).map(lambda v: __import__("json").dumps(v).encode()),
)


@settings(max_examples=10_000, deadline=None)
@given(payload=payload_bytes, attribute=st.sampled_from([None, "l"]))
def test_fuzz_ultralight(payload: bytes, attribute: str | None) -> None:
    _only_payload_errors(parse_ultralight, payload, attribute)


@settings(max_examples=10_000, deadline=None)
@given(payload=payload_bytes, attribute=st.sampled_from([None, "l"]))
def test_fuzz_json(payload: bytes, attribute: str | None) -> None:
    _only_payload_errors(parse_json, payload, attribute)
