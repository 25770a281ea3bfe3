"""The NGSI-LD query language `q` (ETSI GS CIM 009 §4.9): a pure parser and evaluator (no Django).

Grammar (simplified from the specification, precedence: `;` AND binds tighter than `|` OR):
    query      := and_expr ("|" and_expr)*
    and_expr   := term (";" term)*
    term       := "(" query ")" | "!" path | path [op value]
    path       := name ("." name)* ("[" name "]")*
    op         := "==" | "!=" | ">" | ">=" | "<" | "<=" | "~=" | "!~="
    value      := range | list | scalar        (ranges and lists only with == and !=)
    range      := scalar ".." scalar
    list       := scalar ("," scalar)+
    scalar     := number | "quoted string" | true | false | date/time or other unquoted token (a URI)
`parse` raises QueryError (with the position) for anything else; `matches` evaluates a parsed query against a
function that returns the values found at a path of an entity.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

OPERATORS = ("!~=", "==", "!=", ">=", "<=", "~=", ">", "<")
_NAME = re.compile(r"[A-Za-z_@][\w:/#@-]*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_TOKEN_END = set(";|)")
_UNQUOTED_FORBIDDEN = re.compile(r'[<>!~"()\s]')
MAX_LENGTH = 4_000
MAX_DEPTH = 30


class QueryError(ValueError):
    """An invalid `q` expression; the message names the position."""


@dataclass(frozen=True, slots=True)
class Path:
    names: tuple[str, ...]  # attribute, then sub-attributes
    keys: tuple[str, ...] = ()  # [key] parts into a JSON value

    def __str__(self) -> str:
        return ".".join(self.names) + "".join(f"[{k}]" for k in self.keys)


@dataclass(frozen=True, slots=True)
class Range:
    low: Any
    high: Any


@dataclass(frozen=True, slots=True)
class Comparison:
    path: Path
    op: str
    value: Any  # scalar, Range or tuple (list)


@dataclass(frozen=True, slots=True)
class Exists:
    path: Path
    negated: bool = False


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple[Node, ...]


Node = Comparison | Exists | And | Or


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise QueryError(f"q is longer than {MAX_LENGTH} characters")
        self.text = text
        self.pos = 0
        self.depth = 0

    def error(self, message: str) -> QueryError:
        return QueryError(f"{message} at position {self.pos} of q")

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def take(self, token: str) -> bool:
        if self.peek(token):
            self.pos += len(token)
            return True
        return False

    def parse(self) -> Node:
        if not self.text.strip():
            raise QueryError("q is empty")
        node = self.query()
        if self.pos != len(self.text):
            raise self.error(f"unexpected {self.text[self.pos]!r}")
        return node

    def query(self) -> Node:
        terms = [self.and_expr()]
        while self.take("|"):
            terms.append(self.and_expr())
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def and_expr(self) -> Node:
        terms = [self.term()]
        while self.take(";"):
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def term(self) -> Node:
        if self.take("("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("q is nested too deeply")
            node = self.query()
            if not self.take(")"):
                raise self.error("missing ')'")
            self.depth -= 1
            return node
        if self.peek("!") and not self.peek("!=") and not self.peek("!~="):
            self.pos += 1
            return Exists(self.path(), negated=True)
        path = self.path()
        op = next((o for o in OPERATORS if self.peek(o)), None)
        if op is None:
            return Exists(path)
        self.pos += len(op)
        return Comparison(path, op, self.value(op))

    def name(self) -> str:
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.error("expected an attribute name")
        self.pos = match.end()
        return match.group(0)

    def path(self) -> Path:
        names = [self.name()]
        while self.peek(".") and not self.peek(".."):
            self.pos += 1
            names.append(self.name())
        keys = []
        while self.take("["):
            keys.append(self.name())
            if not self.take("]"):
                raise self.error("missing ']'")
        return Path(tuple(names), tuple(keys))

    def value(self, op: str) -> Any:
        if op in ("~=", "!~="):
            return self.pattern()
        first = self.scalar()
        if self.take(".."):
            if op not in ("==", "!="):
                raise self.error("a range needs == or !=")
            return Range(first, self.scalar())
        if self.peek(","):
            if op not in ("==", "!="):
                raise self.error("a list of values needs == or !=")
            values = [first]
            while self.take(","):
                values.append(self.scalar())
            return tuple(values)
        return first

    def pattern(self) -> re.Pattern[str]:
        raw = self.scalar(strict=False)
        try:
            return re.compile(str(raw))
        except re.error as exc:
            raise self.error(f"invalid regular expression ({exc})") from exc

    def scalar(self, strict: bool = True) -> Any:
        if self.take('"'):
            end = self.text.find('"', self.pos)
            if end < 0:
                raise self.error("unterminated string")
            value = self.text[self.pos : end]
            self.pos = end + 1
            return value
        start = self.pos
        while (
            self.pos < len(self.text)
            and self.text[self.pos] not in _TOKEN_END
            and not self.peek(",")
            and not self.peek("..")
        ):
            self.pos += 1
        token = self.text[start : self.pos]
        if not token:
            raise self.error("expected a value")
        if strict and _UNQUOTED_FORBIDDEN.search(token):
            raise self.error(f'{token!r} must be quoted (it contains one of < > ! ~ " ( ) or a space)')
        return _typed(token)


def _typed(token: str) -> Any:
    if token in ("true", "false"):
        return token == "true"
    if _NUMBER.fullmatch(token):
        return float(token) if any(c in token for c in ".eE") else int(token)
    return token  # a date, time, date-time or URI: compared as text (ISO 8601 sorts as text)


def parse(text: str) -> Node:
    """Parse a `q` expression (QueryError when it is not valid)."""
    return _Parser(text).parse()


Lookup = Callable[[Path], Sequence[Any]]


def matches(node: Node, lookup: Lookup) -> bool:
    """Whether an entity satisfies the query; `lookup(path)` returns the values found at the path."""
    if isinstance(node, Or):
        return any(matches(t, lookup) for t in node.terms)
    if isinstance(node, And):
        return all(matches(t, lookup) for t in node.terms)
    values = list(lookup(node.path))
    if isinstance(node, Exists):
        return bool(values) != node.negated
    if node.op == "!=":
        return bool(values) and not any(_compare(v, "==", node.value) for v in values)
    return any(_compare(v, node.op, node.value) for v in values)


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if isinstance(expected, re.Pattern):
        found = isinstance(actual, str) and expected.search(actual) is not None
        return found if op == "~=" else not found
    if isinstance(expected, Range):
        return _ordered(actual, ">=", expected.low) and _ordered(actual, "<=", expected.high)
    if isinstance(expected, tuple):
        return any(_equal(actual, v) for v in expected)
    if op == "==":
        return _equal(actual, expected)
    return _ordered(actual, op, expected)


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return bool(actual == expected)  # exact for ints of any size and floats alike
    return str(actual) == str(expected)


_ORDER = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def is_number(value: Any) -> bool:
    """A JSON number (booleans are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ordered(actual: Any, op: str, expected: Any) -> bool:
    if is_number(actual) and is_number(expected):
        return bool(_ORDER[op](actual, expected))
    if is_number(actual) or is_number(expected):
        return False  # a number never compares with text
    return bool(_ORDER[op](str(actual), str(expected)))


def rename(node: Node, fn: Callable[[Path], Path]) -> Node:
    """The same query with every path passed through `fn` (e.g. to expand attribute names)."""
    if isinstance(node, Or):
        return Or(tuple(rename(t, fn) for t in node.terms))
    if isinstance(node, And):
        return And(tuple(rename(t, fn) for t in node.terms))
    if isinstance(node, Exists):
        return Exists(fn(node.path), node.negated)
    return Comparison(fn(node.path), node.op, node.value)


def paths(node: Node) -> list[Path]:
    """Every path a query refers to."""
    if isinstance(node, And | Or):
        return [p for t in node.terms for p in paths(t)]
    return [node.path]
