"""context.query: the NGSI-LD `q` language, parsed and evaluated (pure); fuzzed with Hypothesis."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.context.query import And, Comparison, Exists, Or, Path, QueryError, Range, matches, parse


def test_and_binds_tighter_than_or() -> None:
    node = parse("a==1;b==2|c==3")
    assert isinstance(node, Or) and isinstance(node.terms[0], And)
    assert node.terms[1] == Comparison(Path(("c",)), "==", 3)


def test_parentheses_group() -> None:
    node = parse("a==1;(b==2|c==3)")
    assert isinstance(node, And) and isinstance(node.terms[1], Or)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("waterLevel>2.5", Comparison(Path(("waterLevel",)), ">", 2.5)),
        ("waterLevel>=3", Comparison(Path(("waterLevel",)), ">=", 3)),
        ("level<=-1e3", Comparison(Path(("level",)), "<=", -1000.0)),
        ('status=="Danger"', Comparison(Path(("status",)), "==", "Danger")),
        ("status!=normal", Comparison(Path(("status",)), "!=", "normal")),
        ("active==true", Comparison(Path(("active",)), "==", True)),
        ("level==1..5", Comparison(Path(("level",)), "==", Range(1, 5))),
        (
            "dateObserved==2024-01-01T00:00:00Z..2024-02-01T00:00:00Z",
            Comparison(Path(("dateObserved",)), "==", Range("2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")),
        ),
        (
            "river==masamba,rongkong,radda",
            Comparison(Path(("river",)), "==", ("masamba", "rongkong", "radda")),
        ),
        (
            "address.addressLocality==Masamba",
            Comparison(Path(("address", "addressLocality")), "==", "Masamba"),
        ),
        ("address[city]==Masamba", Comparison(Path(("address",), ("city",)), "==", "Masamba")),
        ("refDevice", Exists(Path(("refDevice",)))),
        ("!refDevice", Exists(Path(("refDevice",)), negated=True)),
    ],
)
def test_terms(q: str, expected: Any) -> None:
    assert parse(q) == expected


def test_patterns() -> None:
    node = parse("name~=Sungai.*")
    assert isinstance(node, Comparison) and node.value.pattern == "Sungai.*"
    assert parse("name!~=^x").op == "!~="


@pytest.mark.parametrize(
    ("q", "fragment"),
    [
        ("", "empty"),
        ("a==", "expected a value"),
        ("(a==1", "missing ')'"),
        ("a==1)", "unexpected ')'"),
        ("a>1..3", "range needs"),
        ("a<1,2", "list of values needs"),
        ('a=="x', "unterminated"),
        ("a~=(", "invalid regular expression"),
        ("==3", "expected an attribute name"),
        ("a[b==1", "missing ']'"),
        ("(" * 40 + "a" + ")" * 40, "nested too deeply"),
        ("a;;b", "expected an attribute name"),
    ],
)
def test_errors_name_the_problem_and_position(q: str, fragment: str) -> None:
    with pytest.raises(QueryError, match=re.escape(fragment)):
        parse(q)


ENTITY: dict[str, Any] = {
    "waterLevel": [2.7],
    "status": ["Waspada"],
    "river": ["rongkong"],
    "address.addressLocality": ["Masamba"],
    "name": ["Sungai Rongkong"],
}


def lookup(path: Path) -> list[Any]:
    return ENTITY.get(str(path), [])


@pytest.mark.parametrize(
    ("q", "result"),
    [
        ("waterLevel>2.5", True),
        ("waterLevel>3", False),
        ("waterLevel==2..3", True),
        ("status==Waspada,Siaga", True),
        ("status!=Waspada", False),
        ("status!=Awas", True),
        ("river==rongkong;waterLevel>2", True),
        ("river==masamba|waterLevel>2", True),
        ("river==masamba;waterLevel>2", False),
        ("refDevice", False),
        ("!refDevice", True),
        ("address.addressLocality==Masamba", True),
        ("name~=^Sungai", True),
        ("name!~=^Sungai", False),
        ("waterLevel>abc", False),  # a number never compares with text
        ("missing!=1", False),  # != needs the attribute to exist
    ],
)
def test_evaluation(q: str, result: bool) -> None:
    assert matches(parse(q), lookup) is result


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab.[]();|!=<>~,"0129-:TZ ')), max_size=30))
def test_any_input_parses_or_is_a_query_error(text: str) -> None:
    try:
        node = parse(text)
    except QueryError:
        return
    matches(node, lambda path: [1, "x"])
